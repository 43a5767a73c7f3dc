from ...buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from . import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Action(_message.Message):
    __slots__ = ["action_type", "fault_kind", "metadata", "postmortem_sections", "reasoning", "remediation", "runbook_steps", "severity_assessment", "target_service"]
    ACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    FAULT_KIND_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    POSTMORTEM_SECTIONS_FIELD_NUMBER: _ClassVar[int]
    REASONING_FIELD_NUMBER: _ClassVar[int]
    REMEDIATION_FIELD_NUMBER: _ClassVar[int]
    RUNBOOK_STEPS_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    TARGET_SERVICE_FIELD_NUMBER: _ClassVar[int]
    action_type: _enums_pb2.ActionType
    fault_kind: _enums_pb2.FaultKind
    metadata: _struct_pb2.Struct
    postmortem_sections: PostmortemSections
    reasoning: str
    remediation: Remediation
    runbook_steps: _containers.RepeatedScalarFieldContainer[str]
    severity_assessment: _enums_pb2.Severity
    target_service: str
    def __init__(self, action_type: _Optional[_Union[_enums_pb2.ActionType, str]] = ..., reasoning: _Optional[str] = ..., target_service: _Optional[str] = ..., runbook_steps: _Optional[_Iterable[str]] = ..., severity_assessment: _Optional[_Union[_enums_pb2.Severity, str]] = ..., postmortem_sections: _Optional[_Union[PostmortemSections, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., remediation: _Optional[_Union[Remediation, _Mapping]] = ..., fault_kind: _Optional[_Union[_enums_pb2.FaultKind, str]] = ...) -> None: ...

class PostmortemSections(_message.Message):
    __slots__ = ["action_items", "detection", "impact", "lessons_learned", "resolution", "root_cause", "summary", "timeline", "trigger"]
    ACTION_ITEMS_FIELD_NUMBER: _ClassVar[int]
    DETECTION_FIELD_NUMBER: _ClassVar[int]
    IMPACT_FIELD_NUMBER: _ClassVar[int]
    LESSONS_LEARNED_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    ROOT_CAUSE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    TIMELINE_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    action_items: str
    detection: str
    impact: str
    lessons_learned: str
    resolution: str
    root_cause: str
    summary: str
    timeline: str
    trigger: str
    def __init__(self, summary: _Optional[str] = ..., timeline: _Optional[str] = ..., root_cause: _Optional[str] = ..., impact: _Optional[str] = ..., action_items: _Optional[str] = ..., trigger: _Optional[str] = ..., resolution: _Optional[str] = ..., detection: _Optional[str] = ..., lessons_learned: _Optional[str] = ...) -> None: ...

class Remediation(_message.Message):
    __slots__ = ["kind", "parameters"]
    class ParametersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    kind: _enums_pb2.RemediationKind
    parameters: _containers.ScalarMap[str, str]
    def __init__(self, kind: _Optional[_Union[_enums_pb2.RemediationKind, str]] = ..., parameters: _Optional[_Mapping[str, str]] = ...) -> None: ...
