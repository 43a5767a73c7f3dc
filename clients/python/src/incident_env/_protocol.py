"""Requests built from keyword arguments and responses turned into Gymnasium-style results: the
part of the clients that does no I/O, shared by IncidentEnv, the asyncio client and the batches."""
from __future__ import annotations

import datetime
from typing import (
    Any,
    Dict,
    Iterable,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from google.protobuf import timestamp_pb2

from ._enums import EnumLike, to_enum, to_word
from .actions import ActionLike, action_message
from .errors import IncidentEnvError, from_error_response
from .proto.incident.v1 import enums_pb2, episode_pb2, observation_pb2, service_pb2


class ResetResult(NamedTuple):
    """What reset() returns, as Gymnasium's reset: ``observation, info = env.reset()``.

    info: episode_id, state (the incident.v1.EpisodeState), seed, scenario_id, task_level (word),
    max_steps.
    """

    observation: observation_pb2.Observation
    info: Dict[str, Any]


class StepResult(NamedTuple):
    """What step() returns, as Gymnasium's step:
    ``observation, reward, terminated, truncated, info = env.step(action)``.

    terminated: the episode ended on its own (an answer committed, resolved, or the task done);
    truncated: it ended only because it ran out of steps (or, live clock, of simulated time).
    reward: 0 on every step but the one that ends the episode, which pays its grade.
    info: episode_id, status ("running", "terminated_success", "terminated_failed"), message,
    task_level, total_episode_score, breakdown (the incident.v1.GradeBreakdown on the step that
    ends the episode, else None), step_info (the whole incident.v1.StepInfo).
    """

    observation: observation_pb2.Observation
    reward: float
    terminated: bool
    truncated: bool
    info: Dict[str, Any]

    @property
    def done(self) -> bool:
        return self.terminated or self.truncated


#: The keyword arguments of reset(), each a field of incident.v1.ResetRequest.
RESET_OPTIONS = ("task_level", "seed", "scenario_id", "episode_id", "fault_kind", "family", "clock", "minutes_per_second", "observation", "text")


def reset_request(
    task_level: Optional[EnumLike] = None,
    *,
    seed: Optional[int] = None,
    scenario_id: Optional[str] = None,
    episode_id: Optional[str] = None,
    fault_kind: Optional[EnumLike] = None,
    family: Optional[str] = None,
    clock: Optional[EnumLike] = None,
    minutes_per_second: Optional[float] = None,
    observation: Optional[EnumLike] = None,
    text: Optional[bool] = None,
) -> service_pb2.ResetRequest:
    """A ResetRequest with the given fields set; the server's defaults for the others (easy, a drawn
    seed, a new episode id, turn-based clock, lean observations, no text)."""
    request = service_pb2.ResetRequest()
    if task_level is not None:
        request.task_level = to_enum(enums_pb2.TaskLevel, task_level, "task_level")
    if seed is not None:
        request.seed = seed
    if scenario_id is not None:
        request.scenario_id = scenario_id
    if episode_id is not None:
        request.episode_id = episode_id
    if fault_kind is not None:
        request.fault_kind = to_enum(enums_pb2.FaultKind, fault_kind, "fault_kind")
    if family is not None:
        request.family = family
    if clock is not None:
        request.clock = to_enum(enums_pb2.ClockMode, clock, "clock")
    if minutes_per_second is not None:
        request.minutes_per_second = minutes_per_second
    if observation is not None:
        request.observation = to_enum(enums_pb2.ObservationDetail, observation, "observation")
    if text is not None:
        if not isinstance(text, bool):
            raise ValueError(f"text must be True or False, got {text!r}")
        request.text = text
    return request


def with_text_default(options: Dict[str, Any], text: bool) -> Dict[str, Any]:
    """Reset options with the client's text setting where the call does not choose."""
    return {**options, "text": True} if text and options.get("text") is None else options


def reset_result(response: service_pb2.ResetResponse) -> ResetResult:
    state: episode_pb2.EpisodeState = response.state
    info = {
        "episode_id": response.episode_id,
        "state": state,
        "seed": state.seed,
        "scenario_id": state.scenario_id,
        "task_level": to_word(enums_pb2.TaskLevel, state.task_level),
        "max_steps": state.max_steps,
    }
    return ResetResult(response.observation, info)


def step_result(response: service_pb2.StepResponse) -> StepResult:
    step_info = response.info
    truncated = response.done and step_info.truncated
    info = {
        "episode_id": response.episode_id,
        "status": to_word(enums_pb2.EpisodeStatus, step_info.status),
        "message": step_info.message,
        "task_level": to_word(enums_pb2.TaskLevel, step_info.task_level),
        "total_episode_score": step_info.total_episode_score,
        "breakdown": step_info.breakdown if step_info.HasField("breakdown") else None,
        "step_info": step_info,
    }
    return StepResult(response.observation, response.reward, response.done and not truncated, truncated, info)


def logs_request(
    episode_id: Optional[str],
    services: Iterable[str] = (),
    min_level: Optional[EnumLike] = None,
    after_seq: int = 0,
    since: Union[datetime.datetime, timestamp_pb2.Timestamp, None] = None,
) -> service_pb2.StreamLogsRequest:
    request = service_pb2.StreamLogsRequest(services=list(services), after_seq=after_seq)
    if episode_id is not None:
        request.episode_id = episode_id
    if min_level is not None:
        request.min_level = to_enum(enums_pb2.LogLevel, min_level, "min_level")
    if isinstance(since, timestamp_pb2.Timestamp):
        request.since.CopyFrom(since)
    elif since is not None:
        request.since.FromDatetime(since)
    return request


# Batches (ResetBatch / StepBatch). Each item succeeds or fails on its own: a failed item's place
# in the results holds its IncidentEnvError.


def reset_batch_request(
    items: Optional[Sequence[Dict[str, Any]]], count: Optional[int], options: Dict[str, Any]
) -> service_pb2.ResetBatchRequest:
    """One ResetRequest per item (its options over the shared ones), or `count` alike ones."""
    if (items is None) == (count is None):
        raise ValueError("reset a batch with items=[{...}, ...] or with count=N, not both")
    unknown = set(options) - set(RESET_OPTIONS)
    if unknown:
        raise TypeError(f"unknown reset option(s): {', '.join(sorted(unknown))}")
    if items is None:
        if count is None or count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        merged = [dict(options) for _ in range(count)]
    else:
        merged = []
        for index, item in enumerate(items):
            unknown = set(item) - set(RESET_OPTIONS)
            if unknown:
                raise TypeError(f"items[{index}]: unknown reset option(s): {', '.join(sorted(unknown))}")
            merged.append({**options, **item})
        if not merged:
            raise ValueError("a batch needs at least one item")
    return service_pb2.ResetBatchRequest(items=[reset_request(**m) for m in merged])


def reset_batch_results(response: service_pb2.ResetBatchResponse) -> List[Union[ResetResult, IncidentEnvError]]:
    return [
        reset_result(r.response) if r.WhichOneof("result") == "response" else from_error_response(r.error)
        for r in response.results
    ]


def unbound_reset_request(request: service_pb2.ResetRequest) -> service_pb2.ResetBatchRequest:
    """A reset whose episode the server names, sent as a batch of one.

    A Reset without an episode_id would make the episode the default one of the client's HTTP/2
    connection, and a second such reset on that connection closes the first: gRPC shares one
    connection between channels to the same address (its subchannel pool), so two IncidentEnv
    objects in one process would close each other's episodes. A batch item gets a fresh id and
    never becomes a default: the episode is this object's, by id, until it is closed (or evicted
    when idle)."""
    return service_pb2.ResetBatchRequest(items=[request])


def unbound_reset_result(response: service_pb2.ResetBatchResponse) -> ResetResult:
    (result,) = reset_batch_results(response)
    if isinstance(result, IncidentEnvError):
        raise result
    return result


def step_batch_request(
    episode_ids: Sequence[Optional[str]], actions: Sequence[Optional[ActionLike]]
) -> Tuple[service_pb2.StepBatchRequest, List[int]]:
    """The StepBatchRequest of the actions that are not None, and the position of each item."""
    if len(actions) != len(episode_ids):
        raise ValueError(f"one action per episode: the batch has {len(episode_ids)} episodes, got {len(actions)} actions (None skips one)")
    request = service_pb2.StepBatchRequest()
    positions = []
    for index, (episode_id, action) in enumerate(zip(episode_ids, actions)):
        if action is None:
            continue
        if episode_id is None:
            raise ValueError(f"actions[{index}]: episode {index} has no episode (its reset failed); pass None for it")
        request.items.append(service_pb2.StepRequest(episode_id=episode_id, action=action_message(action)))
        positions.append(index)
    return request, positions


def step_batch_results(
    response: service_pb2.StepBatchResponse, positions: List[int], size: int
) -> List[Union[StepResult, IncidentEnvError, None]]:
    results: List[Union[StepResult, IncidentEnvError, None]] = [None] * size
    for index, r in zip(positions, response.results):
        results[index] = step_result(r.response) if r.WhichOneof("result") == "response" else from_error_response(r.error)
    return results


def raise_first_error(results: list, return_exceptions: bool) -> list:
    if not return_exceptions:
        for result in results:
            if isinstance(result, IncidentEnvError):
                raise result
    return results
