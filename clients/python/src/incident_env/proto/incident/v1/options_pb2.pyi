from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

ACTION_FIELDS_FIELD_NUMBER: _ClassVar[int]
DESCRIPTOR: _descriptor.FileDescriptor
SHORT_NAMES_UPPER_FIELD_NUMBER: _ClassVar[int]
action_fields: _descriptor.FieldDescriptor
short_names_upper: _descriptor.FieldDescriptor
