from . import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ArchitectureFamily(_message.Message):
    __slots__ = ["description", "name"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    description: str
    name: str
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class FaultMode(_message.Message):
    __slots__ = ["injectable", "kind", "title", "trigger"]
    INJECTABLE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    injectable: _containers.RepeatedScalarFieldContainer[_enums_pb2.ServiceKind]
    kind: _enums_pb2.FaultKind
    title: str
    trigger: str
    def __init__(self, kind: _Optional[_Union[_enums_pb2.FaultKind, str]] = ..., title: _Optional[str] = ..., injectable: _Optional[_Iterable[_Union[_enums_pb2.ServiceKind, str]]] = ..., trigger: _Optional[str] = ...) -> None: ...

class LevelProfile(_message.Message):
    __slots__ = ["distractors", "level", "max_services", "min_services"]
    DISTRACTORS_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    MAX_SERVICES_FIELD_NUMBER: _ClassVar[int]
    MIN_SERVICES_FIELD_NUMBER: _ClassVar[int]
    distractors: int
    level: _enums_pb2.TaskLevel
    max_services: int
    min_services: int
    def __init__(self, level: _Optional[_Union[_enums_pb2.TaskLevel, str]] = ..., min_services: _Optional[int] = ..., max_services: _Optional[int] = ..., distractors: _Optional[int] = ...) -> None: ...

class ScenarioPreset(_message.Message):
    __slots__ = ["fault_kind", "level", "scenario_id", "title"]
    FAULT_KIND_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    fault_kind: _enums_pb2.FaultKind
    level: _enums_pb2.TaskLevel
    scenario_id: str
    title: str
    def __init__(self, scenario_id: _Optional[str] = ..., level: _Optional[_Union[_enums_pb2.TaskLevel, str]] = ..., title: _Optional[str] = ..., fault_kind: _Optional[_Union[_enums_pb2.FaultKind, str]] = ...) -> None: ...

class SeedRange(_message.Message):
    __slots__ = ["first", "last", "name", "purpose"]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    first: int
    last: int
    name: str
    purpose: str
    def __init__(self, name: _Optional[str] = ..., first: _Optional[int] = ..., last: _Optional[int] = ..., purpose: _Optional[str] = ...) -> None: ...
