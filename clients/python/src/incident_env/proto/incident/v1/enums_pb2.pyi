from . import options_pb2 as _options_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

ACTION_TYPE_APPLY_FIX: ActionType
ACTION_TYPE_DIAGNOSE: ActionType
ACTION_TYPE_ESCALATE: ActionType
ACTION_TYPE_INSPECT: ActionType
ACTION_TYPE_RESOLVE: ActionType
ACTION_TYPE_UNSPECIFIED: ActionType
ACTION_TYPE_WRITE_POSTMORTEM: ActionType
ACTION_TYPE_WRITE_RUNBOOK: ActionType
CHANGE_KIND_CERTIFICATE: ChangeKind
CHANGE_KIND_CONFIG_CHANGE: ChangeKind
CHANGE_KIND_CREDENTIAL: ChangeKind
CHANGE_KIND_DEPLOY: ChangeKind
CHANGE_KIND_MIGRATION: ChangeKind
CHANGE_KIND_REMEDIATION: ChangeKind
CHANGE_KIND_TRAFFIC: ChangeKind
CHANGE_KIND_UNSPECIFIED: ChangeKind
CLIENT_TRANSPORT_CONNECT: ClientTransport
CLIENT_TRANSPORT_CONSOLE: ClientTransport
CLIENT_TRANSPORT_GRPC: ClientTransport
CLIENT_TRANSPORT_GRPC_WEB: ClientTransport
CLIENT_TRANSPORT_MCP: ClientTransport
CLIENT_TRANSPORT_REST: ClientTransport
CLIENT_TRANSPORT_UNSPECIFIED: ClientTransport
CLIENT_TRANSPORT_WS: ClientTransport
CLOCK_MODE_LIVE: ClockMode
CLOCK_MODE_TURN_BASED: ClockMode
CLOCK_MODE_UNSPECIFIED: ClockMode
DESCRIPTOR: _descriptor.FileDescriptor
EPISODE_EVENT_KIND_LOG: EpisodeEventKind
EPISODE_EVENT_KIND_METRIC: EpisodeEventKind
EPISODE_EVENT_KIND_STATUS: EpisodeEventKind
EPISODE_EVENT_KIND_STEP: EpisodeEventKind
EPISODE_EVENT_KIND_UNSPECIFIED: EpisodeEventKind
EPISODE_STATUS_CLOSED: EpisodeStatus
EPISODE_STATUS_RUNNING: EpisodeStatus
EPISODE_STATUS_TERMINATED_FAILED: EpisodeStatus
EPISODE_STATUS_TERMINATED_SUCCESS: EpisodeStatus
EPISODE_STATUS_UNSPECIFIED: EpisodeStatus
FAULT_KIND_BAD_DEPLOY: FaultKind
FAULT_KIND_CACHE_MEMORY_FULL: FaultKind
FAULT_KIND_CACHE_STAMPEDE: FaultKind
FAULT_KIND_CERTIFICATE_EXPIRY: FaultKind
FAULT_KIND_CONFIG_PUSH: FaultKind
FAULT_KIND_CONNECTION_POOL_EXHAUSTION: FaultKind
FAULT_KIND_DB_LOCK_CONTENTION: FaultKind
FAULT_KIND_DEPENDENCY_TIMEOUT: FaultKind
FAULT_KIND_DISK_FULL: FaultKind
FAULT_KIND_DNS_FAILURE: FaultKind
FAULT_KIND_FALSE_ALARM: FaultKind
FAULT_KIND_MEMORY_LEAK: FaultKind
FAULT_KIND_NETWORK_PARTITION: FaultKind
FAULT_KIND_PROCESS_CRASH: FaultKind
FAULT_KIND_QUEUE_POISON_PILL: FaultKind
FAULT_KIND_QUOTA_THROTTLING: FaultKind
FAULT_KIND_RETRY_STORM: FaultKind
FAULT_KIND_SLOW_QUERY: FaultKind
FAULT_KIND_STALE_CREDENTIALS: FaultKind
FAULT_KIND_THIRD_PARTY_OUTAGE: FaultKind
FAULT_KIND_UNSPECIFIED: FaultKind
HEALTH_STATUS_DEGRADED: HealthStatus
HEALTH_STATUS_DRAINING: HealthStatus
HEALTH_STATUS_HEALTHY: HealthStatus
HEALTH_STATUS_UNHEALTHY: HealthStatus
HEALTH_STATUS_UNSPECIFIED: HealthStatus
INCIDENT_STATUS_INVESTIGATING: IncidentStatus
INCIDENT_STATUS_MITIGATED: IncidentStatus
INCIDENT_STATUS_OPEN: IncidentStatus
INCIDENT_STATUS_RESOLVED: IncidentStatus
INCIDENT_STATUS_UNSPECIFIED: IncidentStatus
LOG_LEVEL_CRITICAL: LogLevel
LOG_LEVEL_DEBUG: LogLevel
LOG_LEVEL_ERROR: LogLevel
LOG_LEVEL_INFO: LogLevel
LOG_LEVEL_UNSPECIFIED: LogLevel
LOG_LEVEL_WARN: LogLevel
OBSERVATION_DETAIL_FULL: ObservationDetail
OBSERVATION_DETAIL_LEAN: ObservationDetail
OBSERVATION_DETAIL_UNSPECIFIED: ObservationDetail
REMEDIATION_KIND_ADD_INDEX: RemediationKind
REMEDIATION_KIND_DISABLE_FEATURE_FLAG: RemediationKind
REMEDIATION_KIND_DRAIN_NODE: RemediationKind
REMEDIATION_KIND_FAILOVER: RemediationKind
REMEDIATION_KIND_FLUSH_CACHE: RemediationKind
REMEDIATION_KIND_FREE_DISK: RemediationKind
REMEDIATION_KIND_KILL_QUERY: RemediationKind
REMEDIATION_KIND_RAISE_LIMIT: RemediationKind
REMEDIATION_KIND_RENEW_CERTIFICATE: RemediationKind
REMEDIATION_KIND_RESTART: RemediationKind
REMEDIATION_KIND_REVERT_CONFIG: RemediationKind
REMEDIATION_KIND_ROLLBACK: RemediationKind
REMEDIATION_KIND_ROTATE_CREDENTIAL: RemediationKind
REMEDIATION_KIND_SCALE: RemediationKind
REMEDIATION_KIND_SHED_LOAD: RemediationKind
REMEDIATION_KIND_SKIP_MESSAGE: RemediationKind
REMEDIATION_KIND_TUNE_RETRIES: RemediationKind
REMEDIATION_KIND_UNSPECIFIED: RemediationKind
REMEDIATION_KIND_WARM_CACHE: RemediationKind
RETRY_BACKOFF_EXPONENTIAL: RetryBackoff
RETRY_BACKOFF_NONE: RetryBackoff
RETRY_BACKOFF_UNSPECIFIED: RetryBackoff
SERVICE_KIND_CACHE: ServiceKind
SERVICE_KIND_CONFIG: ServiceKind
SERVICE_KIND_DATABASE: ServiceKind
SERVICE_KIND_DNS: ServiceKind
SERVICE_KIND_GATEWAY: ServiceKind
SERVICE_KIND_NETWORK: ServiceKind
SERVICE_KIND_QUEUE: ServiceKind
SERVICE_KIND_SEARCH: ServiceKind
SERVICE_KIND_SERVICE: ServiceKind
SERVICE_KIND_UNSPECIFIED: ServiceKind
SERVICE_KIND_VENDOR: ServiceKind
SEVERITY_P1: Severity
SEVERITY_P2: Severity
SEVERITY_P3: Severity
SEVERITY_P4: Severity
SEVERITY_UNSPECIFIED: Severity
TASK_LEVEL_EASY: TaskLevel
TASK_LEVEL_EXPERT: TaskLevel
TASK_LEVEL_HARD: TaskLevel
TASK_LEVEL_MEDIUM: TaskLevel
TASK_LEVEL_UNSPECIFIED: TaskLevel

class TaskLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Severity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class IncidentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class LogLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ActionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ServiceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RetryBackoff(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class FaultKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RemediationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class EpisodeStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class HealthStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ClockMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ObservationDetail(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class EpisodeEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ClientTransport(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
