from . import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EpisodeState(_message.Message):
    __slots__ = ["clock", "done", "episode_id", "grade", "incident_status", "max_steps", "minutes_per_second", "scenario_id", "score_threshold", "seed", "status", "step_count", "task_level", "task_name", "time_elapsed_minutes", "total_reward", "truncated"]
    CLOCK_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    MAX_STEPS_FIELD_NUMBER: _ClassVar[int]
    MINUTES_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STEP_COUNT_FIELD_NUMBER: _ClassVar[int]
    TASK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TASK_NAME_FIELD_NUMBER: _ClassVar[int]
    TIME_ELAPSED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_REWARD_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    clock: _enums_pb2.ClockMode
    done: bool
    episode_id: str
    grade: GradeBreakdown
    incident_status: _enums_pb2.IncidentStatus
    max_steps: int
    minutes_per_second: float
    scenario_id: str
    score_threshold: float
    seed: int
    status: _enums_pb2.EpisodeStatus
    step_count: int
    task_level: _enums_pb2.TaskLevel
    task_name: str
    time_elapsed_minutes: int
    total_reward: float
    truncated: bool
    def __init__(self, episode_id: _Optional[str] = ..., step_count: _Optional[int] = ..., task_name: _Optional[str] = ..., task_level: _Optional[_Union[_enums_pb2.TaskLevel, str]] = ..., scenario_id: _Optional[str] = ..., seed: _Optional[int] = ..., status: _Optional[_Union[_enums_pb2.EpisodeStatus, str]] = ..., incident_status: _Optional[_Union[_enums_pb2.IncidentStatus, str]] = ..., total_reward: _Optional[float] = ..., max_steps: _Optional[int] = ..., done: bool = ..., truncated: bool = ..., score_threshold: _Optional[float] = ..., time_elapsed_minutes: _Optional[int] = ..., clock: _Optional[_Union[_enums_pb2.ClockMode, str]] = ..., minutes_per_second: _Optional[float] = ..., grade: _Optional[_Union[GradeBreakdown, _Mapping]] = ...) -> None: ...

class GradeBreakdown(_message.Message):
    __slots__ = ["components", "discount", "grader", "notes", "penalties", "raw_score", "step_score"]
    COMPONENTS_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    GRADER_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    PENALTIES_FIELD_NUMBER: _ClassVar[int]
    RAW_SCORE_FIELD_NUMBER: _ClassVar[int]
    STEP_SCORE_FIELD_NUMBER: _ClassVar[int]
    components: _containers.RepeatedCompositeFieldContainer[GradeComponent]
    discount: float
    grader: str
    notes: _containers.RepeatedScalarFieldContainer[str]
    penalties: _containers.RepeatedCompositeFieldContainer[GradePenalty]
    raw_score: float
    step_score: float
    def __init__(self, grader: _Optional[str] = ..., components: _Optional[_Iterable[_Union[GradeComponent, _Mapping]]] = ..., penalties: _Optional[_Iterable[_Union[GradePenalty, _Mapping]]] = ..., raw_score: _Optional[float] = ..., discount: _Optional[float] = ..., step_score: _Optional[float] = ..., notes: _Optional[_Iterable[str]] = ...) -> None: ...

class GradeComponent(_message.Message):
    __slots__ = ["detail", "name", "score", "weight"]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    detail: str
    name: str
    score: float
    weight: float
    def __init__(self, name: _Optional[str] = ..., score: _Optional[float] = ..., weight: _Optional[float] = ..., detail: _Optional[str] = ...) -> None: ...

class GradePenalty(_message.Message):
    __slots__ = ["amount", "detail", "name"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    amount: float
    detail: str
    name: str
    def __init__(self, name: _Optional[str] = ..., amount: _Optional[float] = ..., detail: _Optional[str] = ...) -> None: ...

class StepInfo(_message.Message):
    __slots__ = ["breakdown", "message", "status", "step_score", "task_level", "total_episode_score", "truncated"]
    BREAKDOWN_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STEP_SCORE_FIELD_NUMBER: _ClassVar[int]
    TASK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_EPISODE_SCORE_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    breakdown: GradeBreakdown
    message: str
    status: _enums_pb2.EpisodeStatus
    step_score: float
    task_level: _enums_pb2.TaskLevel
    total_episode_score: float
    truncated: bool
    def __init__(self, message: _Optional[str] = ..., step_score: _Optional[float] = ..., total_episode_score: _Optional[float] = ..., task_level: _Optional[_Union[_enums_pb2.TaskLevel, str]] = ..., breakdown: _Optional[_Union[GradeBreakdown, _Mapping]] = ..., status: _Optional[_Union[_enums_pb2.EpisodeStatus, str]] = ..., truncated: bool = ...) -> None: ...
