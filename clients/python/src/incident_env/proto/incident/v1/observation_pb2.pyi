from . import enums_pb2 as _enums_pb2
from . import inspection_pb2 as _inspection_pb2
from . import telemetry_pb2 as _telemetry_pb2
from . import topology_pb2 as _topology_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Observation(_message.Message):
    __slots__ = ["active_alerts", "alert", "current_incident_status", "feedback", "inspection", "kb_articles", "max_steps", "metrics", "objective", "previous_actions", "recent_logs", "step", "task_level", "text", "time_elapsed_minutes", "topology"]
    ACTIVE_ALERTS_FIELD_NUMBER: _ClassVar[int]
    ALERT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_INCIDENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    INSPECTION_FIELD_NUMBER: _ClassVar[int]
    KB_ARTICLES_FIELD_NUMBER: _ClassVar[int]
    MAX_STEPS_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    RECENT_LOGS_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    TASK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TIME_ELAPSED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    TOPOLOGY_FIELD_NUMBER: _ClassVar[int]
    active_alerts: _containers.RepeatedCompositeFieldContainer[_telemetry_pb2.Alert]
    alert: _telemetry_pb2.Alert
    current_incident_status: _enums_pb2.IncidentStatus
    feedback: str
    inspection: _inspection_pb2.Inspection
    kb_articles: _containers.RepeatedCompositeFieldContainer[_telemetry_pb2.KbArticle]
    max_steps: int
    metrics: _containers.RepeatedCompositeFieldContainer[_telemetry_pb2.ServiceMetric]
    objective: str
    previous_actions: _containers.RepeatedScalarFieldContainer[str]
    recent_logs: _containers.RepeatedCompositeFieldContainer[_telemetry_pb2.LogEntry]
    step: int
    task_level: _enums_pb2.TaskLevel
    text: str
    time_elapsed_minutes: int
    topology: _topology_pb2.Topology
    def __init__(self, step: _Optional[int] = ..., alert: _Optional[_Union[_telemetry_pb2.Alert, _Mapping]] = ..., metrics: _Optional[_Iterable[_Union[_telemetry_pb2.ServiceMetric, _Mapping]]] = ..., recent_logs: _Optional[_Iterable[_Union[_telemetry_pb2.LogEntry, _Mapping]]] = ..., kb_articles: _Optional[_Iterable[_Union[_telemetry_pb2.KbArticle, _Mapping]]] = ..., current_incident_status: _Optional[_Union[_enums_pb2.IncidentStatus, str]] = ..., previous_actions: _Optional[_Iterable[str]] = ..., time_elapsed_minutes: _Optional[int] = ..., feedback: _Optional[str] = ..., task_level: _Optional[_Union[_enums_pb2.TaskLevel, str]] = ..., objective: _Optional[str] = ..., max_steps: _Optional[int] = ..., topology: _Optional[_Union[_topology_pb2.Topology, _Mapping]] = ..., active_alerts: _Optional[_Iterable[_Union[_telemetry_pb2.Alert, _Mapping]]] = ..., inspection: _Optional[_Union[_inspection_pb2.Inspection, _Mapping]] = ..., text: _Optional[str] = ...) -> None: ...
