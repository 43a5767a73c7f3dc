from google.protobuf import timestamp_pb2 as _timestamp_pb2
from . import enums_pb2 as _enums_pb2
from . import telemetry_pb2 as _telemetry_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EpisodeEvent(_message.Message):
    __slots__ = ["gap", "log", "metric", "minute", "seq", "status", "step", "timestamp"]
    GAP_FIELD_NUMBER: _ClassVar[int]
    LOG_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    MINUTE_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    gap: StreamGap
    log: _telemetry_pb2.LogEntry
    metric: _telemetry_pb2.ServiceMetric
    minute: int
    seq: int
    status: StatusChange
    step: StepSummary
    timestamp: _timestamp_pb2.Timestamp
    def __init__(self, seq: _Optional[int] = ..., timestamp: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., minute: _Optional[int] = ..., log: _Optional[_Union[_telemetry_pb2.LogEntry, _Mapping]] = ..., metric: _Optional[_Union[_telemetry_pb2.ServiceMetric, _Mapping]] = ..., status: _Optional[_Union[StatusChange, _Mapping]] = ..., step: _Optional[_Union[StepSummary, _Mapping]] = ..., gap: _Optional[_Union[StreamGap, _Mapping]] = ...) -> None: ...

class StatusChange(_message.Message):
    __slots__ = ["episode_status", "incident_status", "previous_episode_status", "previous_incident_status"]
    EPISODE_STATUS_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_EPISODE_STATUS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_INCIDENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    episode_status: _enums_pb2.EpisodeStatus
    incident_status: _enums_pb2.IncidentStatus
    previous_episode_status: _enums_pb2.EpisodeStatus
    previous_incident_status: _enums_pb2.IncidentStatus
    def __init__(self, incident_status: _Optional[_Union[_enums_pb2.IncidentStatus, str]] = ..., episode_status: _Optional[_Union[_enums_pb2.EpisodeStatus, str]] = ..., previous_incident_status: _Optional[_Union[_enums_pb2.IncidentStatus, str]] = ..., previous_episode_status: _Optional[_Union[_enums_pb2.EpisodeStatus, str]] = ...) -> None: ...

class StepSummary(_message.Message):
    __slots__ = ["action_type", "done", "feedback", "reward", "step", "target_service", "total_reward", "truncated"]
    ACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    REWARD_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    TARGET_SERVICE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_REWARD_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    action_type: _enums_pb2.ActionType
    done: bool
    feedback: str
    reward: float
    step: int
    target_service: str
    total_reward: float
    truncated: bool
    def __init__(self, step: _Optional[int] = ..., action_type: _Optional[_Union[_enums_pb2.ActionType, str]] = ..., target_service: _Optional[str] = ..., reward: _Optional[float] = ..., total_reward: _Optional[float] = ..., done: bool = ..., truncated: bool = ..., feedback: _Optional[str] = ...) -> None: ...

class StreamGap(_message.Message):
    __slots__ = ["first_missing_seq", "last_missing_seq"]
    FIRST_MISSING_SEQ_FIELD_NUMBER: _ClassVar[int]
    LAST_MISSING_SEQ_FIELD_NUMBER: _ClassVar[int]
    first_missing_seq: int
    last_missing_seq: int
    def __init__(self, first_missing_seq: _Optional[int] = ..., last_missing_seq: _Optional[int] = ...) -> None: ...
