from google.protobuf import timestamp_pb2 as _timestamp_pb2
from . import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Alert(_message.Message):
    __slots__ = ["affected_services", "alert_id", "description", "severity", "title", "triggered_at"]
    AFFECTED_SERVICES_FIELD_NUMBER: _ClassVar[int]
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TRIGGERED_AT_FIELD_NUMBER: _ClassVar[int]
    affected_services: _containers.RepeatedScalarFieldContainer[str]
    alert_id: str
    description: str
    severity: _enums_pb2.Severity
    title: str
    triggered_at: _timestamp_pb2.Timestamp
    def __init__(self, alert_id: _Optional[str] = ..., title: _Optional[str] = ..., severity: _Optional[_Union[_enums_pb2.Severity, str]] = ..., triggered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., affected_services: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ...) -> None: ...

class KbArticle(_message.Message):
    __slots__ = ["article_id", "content", "tags", "title"]
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    content: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    title: str
    def __init__(self, article_id: _Optional[str] = ..., title: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., content: _Optional[str] = ...) -> None: ...

class LogEntry(_message.Message):
    __slots__ = ["level", "message", "seq", "service", "timestamp", "trace_id"]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    level: _enums_pb2.LogLevel
    message: str
    seq: int
    service: str
    timestamp: _timestamp_pb2.Timestamp
    trace_id: str
    def __init__(self, timestamp: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., level: _Optional[_Union[_enums_pb2.LogLevel, str]] = ..., service: _Optional[str] = ..., message: _Optional[str] = ..., trace_id: _Optional[str] = ..., seq: _Optional[int] = ...) -> None: ...

class ServiceMetric(_message.Message):
    __slots__ = ["is_anomalous", "metric_name", "service_name", "threshold", "unit", "value"]
    IS_ANOMALOUS_FIELD_NUMBER: _ClassVar[int]
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    is_anomalous: bool
    metric_name: str
    service_name: str
    threshold: float
    unit: str
    value: float
    def __init__(self, service_name: _Optional[str] = ..., metric_name: _Optional[str] = ..., value: _Optional[float] = ..., unit: _Optional[str] = ..., threshold: _Optional[float] = ..., is_anomalous: bool = ...) -> None: ...
