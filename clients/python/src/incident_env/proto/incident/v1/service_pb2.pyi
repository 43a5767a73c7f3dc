from ...buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from . import action_pb2 as _action_pb2
from . import catalog_pb2 as _catalog_pb2
from . import enums_pb2 as _enums_pb2
from . import episode_pb2 as _episode_pb2
from . import observation_pb2 as _observation_pb2
from . import stream_pb2 as _stream_pb2
from . import telemetry_pb2 as _telemetry_pb2
from . import task_pb2 as _task_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CloseEpisodeRequest(_message.Message):
    __slots__ = ["episode_id"]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    def __init__(self, episode_id: _Optional[str] = ...) -> None: ...

class CloseEpisodeResponse(_message.Message):
    __slots__ = ["state"]
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: _episode_pb2.EpisodeState
    def __init__(self, state: _Optional[_Union[_episode_pb2.EpisodeState, _Mapping]] = ...) -> None: ...

class EpisodeSummary(_message.Message):
    __slots__ = ["last_active", "state", "transport"]
    LAST_ACTIVE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TRANSPORT_FIELD_NUMBER: _ClassVar[int]
    last_active: _timestamp_pb2.Timestamp
    state: _episode_pb2.EpisodeState
    transport: _enums_pb2.ClientTransport
    def __init__(self, state: _Optional[_Union[_episode_pb2.EpisodeState, _Mapping]] = ..., transport: _Optional[_Union[_enums_pb2.ClientTransport, str]] = ..., last_active: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ErrorResponse(_message.Message):
    __slots__ = ["code", "message", "violations"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ["field", "message", "rule"]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    field: str
    message: str
    rule: str
    def __init__(self, field: _Optional[str] = ..., rule: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class GetMetadataRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetMetadataResponse(_message.Message):
    __slots__ = ["author", "description", "documentation_url", "name", "readme_content", "version"]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTATION_URL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    README_CONTENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    author: str
    description: str
    documentation_url: str
    name: str
    readme_content: str
    version: str
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., readme_content: _Optional[str] = ..., version: _Optional[str] = ..., author: _Optional[str] = ..., documentation_url: _Optional[str] = ...) -> None: ...

class GetObservationRequest(_message.Message):
    __slots__ = ["episode_id"]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    def __init__(self, episode_id: _Optional[str] = ...) -> None: ...

class GetObservationResponse(_message.Message):
    __slots__ = ["done", "episode_id", "observation"]
    DONE_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    done: bool
    episode_id: str
    observation: _observation_pb2.Observation
    def __init__(self, observation: _Optional[_Union[_observation_pb2.Observation, _Mapping]] = ..., done: bool = ..., episode_id: _Optional[str] = ...) -> None: ...

class GetSchemaRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetSchemaResponse(_message.Message):
    __slots__ = ["action", "observation", "state", "tools"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    action: _struct_pb2.Struct
    observation: _struct_pb2.Struct
    state: _struct_pb2.Struct
    tools: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    def __init__(self, action: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., observation: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tools: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ...) -> None: ...

class GetStateRequest(_message.Message):
    __slots__ = ["episode_id"]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    def __init__(self, episode_id: _Optional[str] = ...) -> None: ...

class GetStateResponse(_message.Message):
    __slots__ = ["state"]
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: _episode_pb2.EpisodeState
    def __init__(self, state: _Optional[_Union[_episode_pb2.EpisodeState, _Mapping]] = ...) -> None: ...

class HealthRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class HealthResponse(_message.Message):
    __slots__ = ["environment", "live_episodes", "live_streams", "max_live_episodes", "status", "version"]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    LIVE_EPISODES_FIELD_NUMBER: _ClassVar[int]
    LIVE_STREAMS_FIELD_NUMBER: _ClassVar[int]
    MAX_LIVE_EPISODES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    environment: str
    live_episodes: int
    live_streams: int
    max_live_episodes: int
    status: _enums_pb2.HealthStatus
    version: str
    def __init__(self, status: _Optional[_Union[_enums_pb2.HealthStatus, str]] = ..., environment: _Optional[str] = ..., version: _Optional[str] = ..., live_episodes: _Optional[int] = ..., max_live_episodes: _Optional[int] = ..., live_streams: _Optional[int] = ...) -> None: ...

class InteractRequest(_message.Message):
    __slots__ = ["close", "observation", "request_id", "reset", "state", "step"]
    CLOSE_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESET_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    close: CloseEpisodeRequest
    observation: GetObservationRequest
    request_id: int
    reset: ResetRequest
    state: GetStateRequest
    step: StepRequest
    def __init__(self, request_id: _Optional[int] = ..., reset: _Optional[_Union[ResetRequest, _Mapping]] = ..., step: _Optional[_Union[StepRequest, _Mapping]] = ..., observation: _Optional[_Union[GetObservationRequest, _Mapping]] = ..., state: _Optional[_Union[GetStateRequest, _Mapping]] = ..., close: _Optional[_Union[CloseEpisodeRequest, _Mapping]] = ...) -> None: ...

class InteractResponse(_message.Message):
    __slots__ = ["close", "error", "observation", "request_id", "reset", "state", "step"]
    CLOSE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESET_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    close: CloseEpisodeResponse
    error: ErrorResponse
    observation: GetObservationResponse
    request_id: int
    reset: ResetResponse
    state: GetStateResponse
    step: StepResponse
    def __init__(self, request_id: _Optional[int] = ..., reset: _Optional[_Union[ResetResponse, _Mapping]] = ..., step: _Optional[_Union[StepResponse, _Mapping]] = ..., observation: _Optional[_Union[GetObservationResponse, _Mapping]] = ..., state: _Optional[_Union[GetStateResponse, _Mapping]] = ..., close: _Optional[_Union[CloseEpisodeResponse, _Mapping]] = ..., error: _Optional[_Union[ErrorResponse, _Mapping]] = ...) -> None: ...

class ListEpisodesRequest(_message.Message):
    __slots__ = ["page_size"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    def __init__(self, page_size: _Optional[int] = ...) -> None: ...

class ListEpisodesResponse(_message.Message):
    __slots__ = ["episodes", "truncated"]
    EPISODES_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    episodes: _containers.RepeatedCompositeFieldContainer[EpisodeSummary]
    truncated: bool
    def __init__(self, episodes: _Optional[_Iterable[_Union[EpisodeSummary, _Mapping]]] = ..., truncated: bool = ...) -> None: ...

class ListScenariosRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListScenariosResponse(_message.Message):
    __slots__ = ["families", "fault_modes", "levels", "presets", "seed_ranges"]
    FAMILIES_FIELD_NUMBER: _ClassVar[int]
    FAULT_MODES_FIELD_NUMBER: _ClassVar[int]
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    PRESETS_FIELD_NUMBER: _ClassVar[int]
    SEED_RANGES_FIELD_NUMBER: _ClassVar[int]
    families: _containers.RepeatedCompositeFieldContainer[_catalog_pb2.ArchitectureFamily]
    fault_modes: _containers.RepeatedCompositeFieldContainer[_catalog_pb2.FaultMode]
    levels: _containers.RepeatedCompositeFieldContainer[_catalog_pb2.LevelProfile]
    presets: _containers.RepeatedCompositeFieldContainer[_catalog_pb2.ScenarioPreset]
    seed_ranges: _containers.RepeatedCompositeFieldContainer[_catalog_pb2.SeedRange]
    def __init__(self, families: _Optional[_Iterable[_Union[_catalog_pb2.ArchitectureFamily, _Mapping]]] = ..., fault_modes: _Optional[_Iterable[_Union[_catalog_pb2.FaultMode, _Mapping]]] = ..., presets: _Optional[_Iterable[_Union[_catalog_pb2.ScenarioPreset, _Mapping]]] = ..., seed_ranges: _Optional[_Iterable[_Union[_catalog_pb2.SeedRange, _Mapping]]] = ..., levels: _Optional[_Iterable[_Union[_catalog_pb2.LevelProfile, _Mapping]]] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ["tasks"]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[_task_pb2.Task]
    def __init__(self, tasks: _Optional[_Iterable[_Union[_task_pb2.Task, _Mapping]]] = ...) -> None: ...

class ResetBatchRequest(_message.Message):
    __slots__ = ["items"]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ResetRequest]
    def __init__(self, items: _Optional[_Iterable[_Union[ResetRequest, _Mapping]]] = ...) -> None: ...

class ResetBatchResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ResetBatchResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ResetBatchResult, _Mapping]]] = ...) -> None: ...

class ResetBatchResult(_message.Message):
    __slots__ = ["error", "response"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    error: ErrorResponse
    response: ResetResponse
    def __init__(self, response: _Optional[_Union[ResetResponse, _Mapping]] = ..., error: _Optional[_Union[ErrorResponse, _Mapping]] = ...) -> None: ...

class ResetRequest(_message.Message):
    __slots__ = ["clock", "episode_id", "family", "fault_kind", "minutes_per_second", "observation", "scenario_id", "seed", "task_level", "text"]
    CLOCK_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    FAMILY_FIELD_NUMBER: _ClassVar[int]
    FAULT_KIND_FIELD_NUMBER: _ClassVar[int]
    MINUTES_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_ID_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    TASK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    clock: _enums_pb2.ClockMode
    episode_id: str
    family: str
    fault_kind: _enums_pb2.FaultKind
    minutes_per_second: float
    observation: _enums_pb2.ObservationDetail
    scenario_id: str
    seed: int
    task_level: _enums_pb2.TaskLevel
    text: bool
    def __init__(self, task_level: _Optional[_Union[_enums_pb2.TaskLevel, str]] = ..., seed: _Optional[int] = ..., scenario_id: _Optional[str] = ..., episode_id: _Optional[str] = ..., fault_kind: _Optional[_Union[_enums_pb2.FaultKind, str]] = ..., family: _Optional[str] = ..., clock: _Optional[_Union[_enums_pb2.ClockMode, str]] = ..., minutes_per_second: _Optional[float] = ..., observation: _Optional[_Union[_enums_pb2.ObservationDetail, str]] = ..., text: bool = ...) -> None: ...

class ResetResponse(_message.Message):
    __slots__ = ["done", "episode_id", "observation", "reward", "state"]
    DONE_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    REWARD_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    done: bool
    episode_id: str
    observation: _observation_pb2.Observation
    reward: float
    state: _episode_pb2.EpisodeState
    def __init__(self, observation: _Optional[_Union[_observation_pb2.Observation, _Mapping]] = ..., reward: _Optional[float] = ..., done: bool = ..., episode_id: _Optional[str] = ..., state: _Optional[_Union[_episode_pb2.EpisodeState, _Mapping]] = ...) -> None: ...

class StepBatchRequest(_message.Message):
    __slots__ = ["items"]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[StepRequest]
    def __init__(self, items: _Optional[_Iterable[_Union[StepRequest, _Mapping]]] = ...) -> None: ...

class StepBatchResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[StepBatchResult]
    def __init__(self, results: _Optional[_Iterable[_Union[StepBatchResult, _Mapping]]] = ...) -> None: ...

class StepBatchResult(_message.Message):
    __slots__ = ["error", "response"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    error: ErrorResponse
    response: StepResponse
    def __init__(self, response: _Optional[_Union[StepResponse, _Mapping]] = ..., error: _Optional[_Union[ErrorResponse, _Mapping]] = ...) -> None: ...

class StepRequest(_message.Message):
    __slots__ = ["action", "episode_id"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    action: _action_pb2.Action
    episode_id: str
    def __init__(self, episode_id: _Optional[str] = ..., action: _Optional[_Union[_action_pb2.Action, _Mapping]] = ...) -> None: ...

class StepResponse(_message.Message):
    __slots__ = ["done", "episode_id", "info", "observation", "reward"]
    DONE_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    INFO_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    REWARD_FIELD_NUMBER: _ClassVar[int]
    done: bool
    episode_id: str
    info: _episode_pb2.StepInfo
    observation: _observation_pb2.Observation
    reward: float
    def __init__(self, observation: _Optional[_Union[_observation_pb2.Observation, _Mapping]] = ..., reward: _Optional[float] = ..., done: bool = ..., info: _Optional[_Union[_episode_pb2.StepInfo, _Mapping]] = ..., episode_id: _Optional[str] = ...) -> None: ...

class StreamEpisodeEventsRequest(_message.Message):
    __slots__ = ["after_seq", "episode_id", "kinds", "min_level", "services", "since"]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    MIN_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    after_seq: int
    episode_id: str
    kinds: _containers.RepeatedScalarFieldContainer[_enums_pb2.EpisodeEventKind]
    min_level: _enums_pb2.LogLevel
    services: _containers.RepeatedScalarFieldContainer[str]
    since: _timestamp_pb2.Timestamp
    def __init__(self, episode_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[_enums_pb2.EpisodeEventKind, str]]] = ..., services: _Optional[_Iterable[str]] = ..., min_level: _Optional[_Union[_enums_pb2.LogLevel, str]] = ..., after_seq: _Optional[int] = ..., since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StreamEpisodeEventsResponse(_message.Message):
    __slots__ = ["event"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _stream_pb2.EpisodeEvent
    def __init__(self, event: _Optional[_Union[_stream_pb2.EpisodeEvent, _Mapping]] = ...) -> None: ...

class StreamLogsRequest(_message.Message):
    __slots__ = ["after_seq", "episode_id", "min_level", "services", "since"]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    MIN_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    after_seq: int
    episode_id: str
    min_level: _enums_pb2.LogLevel
    services: _containers.RepeatedScalarFieldContainer[str]
    since: _timestamp_pb2.Timestamp
    def __init__(self, episode_id: _Optional[str] = ..., services: _Optional[_Iterable[str]] = ..., min_level: _Optional[_Union[_enums_pb2.LogLevel, str]] = ..., after_seq: _Optional[int] = ..., since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StreamLogsResponse(_message.Message):
    __slots__ = ["entry", "gap"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    entry: _telemetry_pb2.LogEntry
    gap: _stream_pb2.StreamGap
    def __init__(self, entry: _Optional[_Union[_telemetry_pb2.LogEntry, _Mapping]] = ..., gap: _Optional[_Union[_stream_pb2.StreamGap, _Mapping]] = ...) -> None: ...
