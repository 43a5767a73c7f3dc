from . import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Task(_message.Message):
    __slots__ = ["description", "difficulty", "grader", "max_steps", "minutes_per_step", "name", "objective", "scenario_ids", "score_threshold"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DIFFICULTY_FIELD_NUMBER: _ClassVar[int]
    GRADER_FIELD_NUMBER: _ClassVar[int]
    MAX_STEPS_FIELD_NUMBER: _ClassVar[int]
    MINUTES_PER_STEP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_IDS_FIELD_NUMBER: _ClassVar[int]
    SCORE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    description: str
    difficulty: _enums_pb2.TaskLevel
    grader: str
    max_steps: int
    minutes_per_step: int
    name: str
    objective: str
    scenario_ids: _containers.RepeatedScalarFieldContainer[str]
    score_threshold: float
    def __init__(self, name: _Optional[str] = ..., difficulty: _Optional[_Union[_enums_pb2.TaskLevel, str]] = ..., description: _Optional[str] = ..., objective: _Optional[str] = ..., max_steps: _Optional[int] = ..., score_threshold: _Optional[float] = ..., scenario_ids: _Optional[_Iterable[str]] = ..., grader: _Optional[str] = ..., minutes_per_step: _Optional[int] = ...) -> None: ...
