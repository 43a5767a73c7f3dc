"""The synchronous client: IncidentEnv (one episode at a time, Gymnasium-style), IncidentEnvBatch
(many episodes per call, over ResetBatch/StepBatch) and LogStream (StreamLogs as an iterator)."""
from __future__ import annotations

import datetime
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

import grpc
from google.protobuf import timestamp_pb2

from ._enums import EnumLike
from ._protocol import (
    ResetResult,
    StepResult,
    logs_request,
    raise_first_error,
    reset_batch_request,
    reset_batch_results,
    reset_request,
    reset_result,
    step_batch_request,
    step_batch_results,
    step_result,
    unbound_reset_request,
    unbound_reset_result,
    with_text_default,
)
from ._transport import DEFAULT_TIMEOUT_SECONDS, call_metadata, parse_url, sync_channel
from .actions import ActionLike, action_message
from .errors import IncidentEnvError, from_rpc_error
from .llm import tools_from_schema
from .proto.incident.v1 import (
    episode_pb2,
    observation_pb2,
    service_pb2,
    service_pb2_grpc,
    stream_pb2,
    task_pb2,
    telemetry_pb2,
)

Response = TypeVar("Response")


class _Connection:
    """A channel of its own, the stub, and what every call carries (API key, deadline)."""

    def __init__(self, url: Optional[str], api_key: Optional[str], timeout: Optional[float], channel_options: Sequence[Tuple[str, Any]]):
        self.target = parse_url(url)
        self.metadata = call_metadata(api_key)
        self.timeout = timeout
        self.channel = sync_channel(self.target, channel_options)
        self.stub = service_pb2_grpc.IncidentEnvServiceStub(self.channel)

    def call(self, method: Callable[..., Response], request: Any) -> Response:
        try:
            return method(request, metadata=self.metadata, timeout=self.timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error) from None

    def close_episode(self, episode_id: str) -> Optional[episode_pb2.EpisodeState]:
        """Closes an episode; None if the server no longer has it (closed, evicted)."""
        try:
            return self.call(self.stub.CloseEpisode, service_pb2.CloseEpisodeRequest(episode_id=episode_id)).state
        except IncidentEnvError as error:
            if error.code == grpc.StatusCode.NOT_FOUND:
                return None
            raise


class LogStream:
    """An episode's log lines (incident.v1.LogEntry): those already printed, then each new one,
    until the episode ends or is closed. Iterate it; ``cancel()`` (or leaving a ``with`` block)
    stops it from any thread. Lines a slow reader lost are counted in ``gaps`` (StreamGap
    messages). A failure (an unknown episode: NOT_FOUND) raises IncidentEnvError on iteration."""

    def __init__(self, call: Any):
        self._call = call
        self._cancelled = False
        self.gaps: List[stream_pb2.StreamGap] = []

    def __iter__(self) -> LogStream:
        return self

    def __next__(self) -> telemetry_pb2.LogEntry:
        while True:
            try:
                message = next(self._call)
            except grpc.RpcError as error:
                if self._cancelled and error.code() == grpc.StatusCode.CANCELLED:
                    raise StopIteration from None
                raise from_rpc_error(error) from None
            if message.HasField("gap"):
                self.gaps.append(message.gap)
                continue
            return message.entry

    def cancel(self) -> None:
        self._cancelled = True
        self._call.cancel()

    def __enter__(self) -> LogStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


class IncidentEnv:
    """One episode at a time over gRPC, Gymnasium-style::

        with IncidentEnv("localhost:7860") as env:
            observation, info = env.reset("easy", seed=42)
            observation, reward, terminated, truncated, info = env.step(Inspect("api-gateway"))

    url: "host:port", "http://host:port" or "https://host" (default INCIDENT_ENV_URL, else
    localhost:7860). api_key: sent as ``authorization: Bearer <key>`` on every call (default
    INCIDENT_ENV_API_KEY). timeout: seconds per call (streams have none). Every failure the server
    answers with raises IncidentEnvError.

    reset() starts an episode and makes it this client's: step(), state(), observation(), logs()
    and close_episode() address it unless given another episode_id. The server names the episode
    unless reset() is given an episode_id; either way the episode is not tied to the connection
    (see unbound_reset_request), so it survives long pauses between steps. A new reset() closes
    the episode this client played before (reset() with the same episode_id restarts it).
    Leaving the ``with`` block, or close(), closes the episode and the channel.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT_SECONDS,
        channel_options: Sequence[Tuple[str, Any]] = (),
        text: bool = False,
    ):
        self._connection = _Connection(url, api_key, timeout, channel_options)
        #: Whether resets ask the server for each observation as markdown too (Observation.text; render_text()).
        self.text = text
        #: The episode this client plays (None before the first reset and after close_episode()).
        self.episode_id: Optional[str] = None

    @property
    def stub(self) -> service_pb2_grpc.IncidentEnvServiceStub:
        """The generated stub, for the RPCs this class does not wrap (pass ``metadata`` yourself)."""
        return self._connection.stub

    def health(self) -> service_pb2.HealthResponse:
        return self._connection.call(self.stub.Health, service_pb2.HealthRequest())

    def tasks(self) -> List[task_pb2.Task]:
        return list(self._connection.call(self.stub.ListTasks, service_pb2.ListTasksRequest()).tasks)

    def tool_schemas(self) -> List[Dict[str, Any]]:
        """One function-calling tool per action type, in the OpenAI shape (GetSchema's tools), as
        plain dicts to pass as ``tools=`` to a chat API: see incident_env.llm."""
        return tools_from_schema(self._connection.call(self.stub.GetSchema, service_pb2.GetSchemaRequest()))

    def reset(
        self,
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
    ) -> ResetResult:
        """Starts an episode: ``observation, info = env.reset("medium", seed=7)``.

        task_level: "easy" (default), "medium", "hard", "expert". observation: "lean" (default:
        the topology and KB articles only here and in observation()) or "full". The other options
        are those of incident.v1.ResetRequest."""
        request = reset_request(
            task_level, seed=seed, scenario_id=scenario_id, episode_id=episode_id, fault_kind=fault_kind,
            family=family, clock=clock, minutes_per_second=minutes_per_second, observation=observation,
            text=text if text is not None else (True if self.text else None),
        )
        if episode_id is None:
            result = unbound_reset_result(self._connection.call(self.stub.ResetBatch, unbound_reset_request(request)))
        else:
            result = reset_result(self._connection.call(self.stub.Reset, request))
        previous, self.episode_id = self.episode_id, result.info["episode_id"]
        if previous is not None and previous != self.episode_id:
            self._connection.close_episode(previous)
        return result

    def _episode(self, episode_id: Optional[str]) -> str:
        chosen = episode_id if episode_id is not None else self.episode_id
        if chosen is None:
            raise RuntimeError("no episode: call reset() first, or pass episode_id")
        return chosen

    def step(self, action: ActionLike, *, episode_id: Optional[str] = None) -> StepResult:
        """Takes one action: ``observation, reward, terminated, truncated, info = env.step(Inspect("db"))``.
        The action may also be an incident.v1.Action or a dict (parse_action)."""
        request = service_pb2.StepRequest(episode_id=self._episode(episode_id), action=action_message(action))
        return step_result(self._connection.call(self.stub.Step, request))

    def state(self, *, episode_id: Optional[str] = None) -> episode_pb2.EpisodeState:
        """The episode's bookkeeping: step_count, status, total_reward, seed, grade once it ended..."""
        return self._connection.call(self.stub.GetState, service_pb2.GetStateRequest(episode_id=self._episode(episode_id))).state

    def observation(self, *, episode_id: Optional[str] = None) -> observation_pb2.Observation:
        """The current observation, complete: with the topology and the KB articles."""
        request = service_pb2.GetObservationRequest(episode_id=self._episode(episode_id))
        return self._connection.call(self.stub.GetObservation, request).observation

    def logs(
        self,
        *,
        episode_id: Optional[str] = None,
        services: Iterable[str] = (),
        min_level: Optional[EnumLike] = None,
        after_seq: int = 0,
        since: Union[datetime.datetime, timestamp_pb2.Timestamp, None] = None,
        timeout: Optional[float] = None,
    ) -> LogStream:
        """The episode's log lines as an iterator (StreamLogs); filters as in incident.v1.StreamLogsRequest."""
        request = logs_request(self._episode(episode_id), services, min_level, after_seq, since)
        return LogStream(self.stub.StreamLogs(request, metadata=self._connection.metadata, timeout=timeout))

    def close_episode(self, *, episode_id: Optional[str] = None) -> Optional[episode_pb2.EpisodeState]:
        """Ends and frees the episode; its last state, or None if the server no longer had it."""
        chosen = self._episode(episode_id)
        if chosen == self.episode_id:
            self.episode_id = None
        return self._connection.close_episode(chosen)

    def close(self) -> None:
        """Closes this client's episode, then the channel."""
        try:
            if self.episode_id is not None:
                self.close_episode()
        finally:
            self._connection.channel.close()

    def __enter__(self) -> IncidentEnv:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            self.close()
        except IncidentEnvError:
            if exc_type is None:
                raise


class IncidentEnvBatch:
    """Many episodes, one call per reset or step of them all (ResetBatch / StepBatch)::

        with IncidentEnvBatch("localhost:7860") as batch:
            batch.reset([{"task_level": "easy", "seed": s} for s in range(8)])
            results = batch.step([Inspect("api-gateway")] * 8)   # one StepResult per episode

    reset() gives one episode per item (or ``count=N`` alike ones); the server names them unless an
    item gives an episode_id. step() takes one action per episode, in the order of
    ``episode_ids``; None skips an episode (one that is done). Each item succeeds or fails on its
    own: a failed item raises its IncidentEnvError, or with ``return_exceptions=True`` takes that
    error's place in the results. A new reset() closes the episodes of the last one; close() and
    leaving the ``with`` block close them all, then the channel.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT_SECONDS,
        channel_options: Sequence[Tuple[str, Any]] = (),
        text: bool = False,
    ):
        self._connection = _Connection(url, api_key, timeout, channel_options)
        #: Whether resets ask the server for each observation as markdown too (Observation.text; render_text()).
        self.text = text
        #: The batch's episodes, in order; None where a reset item failed.
        self.episode_ids: List[Optional[str]] = []

    def __len__(self) -> int:
        return len(self.episode_ids)

    def reset(
        self,
        items: Optional[Sequence[Dict[str, Any]]] = None,
        *,
        count: Optional[int] = None,
        return_exceptions: bool = False,
        **options: Any,
    ) -> List[Union[ResetResult, IncidentEnvError]]:
        """Starts the batch's episodes: each item holds reset() options (task_level, seed, ...),
        applied over the keyword options that all items share."""
        request = reset_batch_request(items, count, with_text_default(options, self.text))
        results = reset_batch_results(self._connection.call(self.stub.ResetBatch, request))
        previous = self.episode_ids
        self.episode_ids = [r.info["episode_id"] if isinstance(r, ResetResult) else None for r in results]
        _close_all(self._connection.close_episode, [i for i in previous if i not in self.episode_ids])
        return raise_first_error(results, return_exceptions)

    def step(
        self, actions: Sequence[Optional[ActionLike]], *, return_exceptions: bool = False
    ) -> List[Union[StepResult, IncidentEnvError, None]]:
        """One action per episode (None skips it); one StepResult per episode (None where skipped)."""
        request, positions = step_batch_request(self.episode_ids, actions)
        if not positions:
            return [None] * len(self.episode_ids)
        response = self._connection.call(self.stub.StepBatch, request)
        return raise_first_error(step_batch_results(response, positions, len(self.episode_ids)), return_exceptions)

    def states(self) -> List[Optional[episode_pb2.EpisodeState]]:
        """Each episode's state (None where the reset failed)."""
        return [
            None if episode_id is None
            else self._connection.call(self.stub.GetState, service_pb2.GetStateRequest(episode_id=episode_id)).state
            for episode_id in self.episode_ids
        ]

    @property
    def stub(self) -> service_pb2_grpc.IncidentEnvServiceStub:
        return self._connection.stub

    def close(self) -> None:
        """Closes every episode of the batch, then the channel."""
        try:
            _close_all(self._connection.close_episode, self.episode_ids)
            self.episode_ids = []
        finally:
            self._connection.channel.close()

    def __enter__(self) -> IncidentEnvBatch:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            self.close()
        except IncidentEnvError:
            if exc_type is None:
                raise


def _close_all(close: Callable[[str], object], episode_ids: Iterable[Optional[str]]) -> None:
    """Closes every episode, then raises the first error if one failed."""
    first: Optional[IncidentEnvError] = None
    for episode_id in episode_ids:
        if episode_id is None:
            continue
        try:
            close(episode_id)
        except IncidentEnvError as error:
            first = first or error
    if first is not None:
        raise first
