from google.protobuf import timestamp_pb2 as _timestamp_pb2
from . import enums_pb2 as _enums_pb2
from . import telemetry_pb2 as _telemetry_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChangeEvent(_message.Message):
    __slots__ = ["description", "kind", "service", "timestamp"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    description: str
    kind: _enums_pb2.ChangeKind
    service: str
    timestamp: _timestamp_pb2.Timestamp
    def __init__(self, timestamp: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., service: _Optional[str] = ..., kind: _Optional[_Union[_enums_pb2.ChangeKind, str]] = ..., description: _Optional[str] = ...) -> None: ...

class DependencyReading(_message.Message):
    __slots__ = ["callee", "calls_per_second", "error_rate", "latency_ms", "retries", "timeout_ms"]
    CALLEE_FIELD_NUMBER: _ClassVar[int]
    CALLS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    ERROR_RATE_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    callee: str
    calls_per_second: float
    error_rate: float
    latency_ms: float
    retries: int
    timeout_ms: int
    def __init__(self, callee: _Optional[str] = ..., calls_per_second: _Optional[float] = ..., error_rate: _Optional[float] = ..., latency_ms: _Optional[float] = ..., timeout_ms: _Optional[int] = ..., retries: _Optional[int] = ...) -> None: ...

class Inspection(_message.Message):
    __slots__ = ["dependencies", "dependents", "kind", "recent_changes", "recent_logs", "replicas", "role", "series", "service", "taken_at_minute", "trace", "version", "zone"]
    DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
    DEPENDENTS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RECENT_CHANGES_FIELD_NUMBER: _ClassVar[int]
    RECENT_LOGS_FIELD_NUMBER: _ClassVar[int]
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SERIES_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    TAKEN_AT_MINUTE_FIELD_NUMBER: _ClassVar[int]
    TRACE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ZONE_FIELD_NUMBER: _ClassVar[int]
    dependencies: _containers.RepeatedCompositeFieldContainer[DependencyReading]
    dependents: _containers.RepeatedScalarFieldContainer[str]
    kind: _enums_pb2.ServiceKind
    recent_changes: _containers.RepeatedCompositeFieldContainer[ChangeEvent]
    recent_logs: _containers.RepeatedCompositeFieldContainer[_telemetry_pb2.LogEntry]
    replicas: int
    role: str
    series: _containers.RepeatedCompositeFieldContainer[MetricSeries]
    service: str
    taken_at_minute: int
    trace: Trace
    version: str
    zone: str
    def __init__(self, service: _Optional[str] = ..., kind: _Optional[_Union[_enums_pb2.ServiceKind, str]] = ..., role: _Optional[str] = ..., version: _Optional[str] = ..., replicas: _Optional[int] = ..., zone: _Optional[str] = ..., series: _Optional[_Iterable[_Union[MetricSeries, _Mapping]]] = ..., dependencies: _Optional[_Iterable[_Union[DependencyReading, _Mapping]]] = ..., dependents: _Optional[_Iterable[str]] = ..., recent_changes: _Optional[_Iterable[_Union[ChangeEvent, _Mapping]]] = ..., recent_logs: _Optional[_Iterable[_Union[_telemetry_pb2.LogEntry, _Mapping]]] = ..., trace: _Optional[_Union[Trace, _Mapping]] = ..., taken_at_minute: _Optional[int] = ...) -> None: ...

class MetricPoint(_message.Message):
    __slots__ = ["minute", "value"]
    MINUTE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    minute: int
    value: float
    def __init__(self, minute: _Optional[int] = ..., value: _Optional[float] = ...) -> None: ...

class MetricSeries(_message.Message):
    __slots__ = ["metric_name", "points", "threshold", "unit"]
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    metric_name: str
    points: _containers.RepeatedCompositeFieldContainer[MetricPoint]
    threshold: float
    unit: str
    def __init__(self, metric_name: _Optional[str] = ..., unit: _Optional[str] = ..., threshold: _Optional[float] = ..., points: _Optional[_Iterable[_Union[MetricPoint, _Mapping]]] = ...) -> None: ...

class Span(_message.Message):
    __slots__ = ["duration_ms", "error", "parent", "service"]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    duration_ms: float
    error: bool
    parent: str
    service: str
    def __init__(self, service: _Optional[str] = ..., parent: _Optional[str] = ..., duration_ms: _Optional[float] = ..., error: bool = ...) -> None: ...

class Trace(_message.Message):
    __slots__ = ["spans", "trace_id"]
    SPANS_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    spans: _containers.RepeatedCompositeFieldContainer[Span]
    trace_id: str
    def __init__(self, trace_id: _Optional[str] = ..., spans: _Optional[_Iterable[_Union[Span, _Mapping]]] = ...) -> None: ...
