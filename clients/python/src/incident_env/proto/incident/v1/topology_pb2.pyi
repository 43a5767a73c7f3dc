from . import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Dependency(_message.Message):
    __slots__ = ["backoff", "callee", "caller", "calls_per_second", "request_path", "retries", "timeout_ms"]
    BACKOFF_FIELD_NUMBER: _ClassVar[int]
    CALLEE_FIELD_NUMBER: _ClassVar[int]
    CALLER_FIELD_NUMBER: _ClassVar[int]
    CALLS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_PATH_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    backoff: _enums_pb2.RetryBackoff
    callee: str
    caller: str
    calls_per_second: float
    request_path: bool
    retries: int
    timeout_ms: int
    def __init__(self, caller: _Optional[str] = ..., callee: _Optional[str] = ..., calls_per_second: _Optional[float] = ..., timeout_ms: _Optional[int] = ..., retries: _Optional[int] = ..., backoff: _Optional[_Union[_enums_pb2.RetryBackoff, str]] = ..., request_path: bool = ...) -> None: ...

class ServiceNode(_message.Message):
    __slots__ = ["aliases", "kind", "name", "replicas", "role", "version", "zone"]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ZONE_FIELD_NUMBER: _ClassVar[int]
    aliases: _containers.RepeatedScalarFieldContainer[str]
    kind: _enums_pb2.ServiceKind
    name: str
    replicas: int
    role: str
    version: str
    zone: str
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[_enums_pb2.ServiceKind, str]] = ..., role: _Optional[str] = ..., aliases: _Optional[_Iterable[str]] = ..., replicas: _Optional[int] = ..., version: _Optional[str] = ..., zone: _Optional[str] = ...) -> None: ...

class Topology(_message.Message):
    __slots__ = ["dependencies", "family", "services"]
    DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
    FAMILY_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    dependencies: _containers.RepeatedCompositeFieldContainer[Dependency]
    family: str
    services: _containers.RepeatedCompositeFieldContainer[ServiceNode]
    def __init__(self, family: _Optional[str] = ..., services: _Optional[_Iterable[_Union[ServiceNode, _Mapping]]] = ..., dependencies: _Optional[_Iterable[_Union[Dependency, _Mapping]]] = ...) -> None: ...
