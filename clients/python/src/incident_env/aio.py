"""The asyncio client (grpc.aio): AsyncIncidentEnv, AsyncIncidentEnvBatch and AsyncLogStream, the
same API as IncidentEnv, IncidentEnvBatch and LogStream with ``await``, ``async with`` and
``async for``. Build them inside a running event loop."""
from __future__ import annotations

import asyncio
import datetime
from typing import (
    Any,
    Awaitable,
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
from ._transport import DEFAULT_TIMEOUT_SECONDS, aio_channel, call_metadata, parse_url
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


class _AsyncConnection:
    def __init__(self, url: Optional[str], api_key: Optional[str], timeout: Optional[float], channel_options: Sequence[Tuple[str, Any]]):
        self.target = parse_url(url)
        self.metadata = call_metadata(api_key)
        self.timeout = timeout
        self.channel = aio_channel(self.target, channel_options)
        self.stub = service_pb2_grpc.IncidentEnvServiceStub(self.channel)

    async def call(self, method: Callable[..., Awaitable[Response]], request: Any) -> Response:
        try:
            return await method(request, metadata=self.metadata, timeout=self.timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error) from None

    async def close_episode(self, episode_id: str) -> Optional[episode_pb2.EpisodeState]:
        try:
            return (await self.call(self.stub.CloseEpisode, service_pb2.CloseEpisodeRequest(episode_id=episode_id))).state
        except IncidentEnvError as error:
            if error.code == grpc.StatusCode.NOT_FOUND:
                return None
            raise


class AsyncLogStream:
    """LogStream for asyncio: ``async for entry in env.logs(): ...``; ``cancel()`` stops it."""

    def __init__(self, call: Any):
        self._call = call
        self._cancelled = False
        self.gaps: List[stream_pb2.StreamGap] = []

    def __aiter__(self) -> AsyncLogStream:
        return self

    async def __anext__(self) -> telemetry_pb2.LogEntry:
        while True:
            try:
                message = await self._call.read()
            except asyncio.CancelledError:
                if self._cancelled:
                    raise StopAsyncIteration from None
                raise
            except grpc.RpcError as error:
                if self._cancelled and error.code() == grpc.StatusCode.CANCELLED:
                    raise StopAsyncIteration from None
                raise from_rpc_error(error) from None
            if message is grpc.aio.EOF:
                raise StopAsyncIteration
            if message.HasField("gap"):
                self.gaps.append(message.gap)
                continue
            return message.entry

    def cancel(self) -> None:
        self._cancelled = True
        self._call.cancel()

    async def __aenter__(self) -> AsyncLogStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.cancel()


class AsyncIncidentEnv:
    """IncidentEnv for asyncio::

        async with AsyncIncidentEnv("localhost:7860") as env:
            observation, info = await env.reset("easy", seed=42)
            observation, reward, terminated, truncated, info = await env.step(Inspect("api-gateway"))
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
        self._connection = _AsyncConnection(url, api_key, timeout, channel_options)
        #: Whether resets ask the server for each observation as markdown too (Observation.text; render_text()).
        self.text = text
        self.episode_id: Optional[str] = None

    @property
    def stub(self) -> service_pb2_grpc.IncidentEnvServiceStub:
        return self._connection.stub

    async def health(self) -> service_pb2.HealthResponse:
        return await self._connection.call(self.stub.Health, service_pb2.HealthRequest())

    async def tasks(self) -> List[task_pb2.Task]:
        return list((await self._connection.call(self.stub.ListTasks, service_pb2.ListTasksRequest())).tasks)

    async def tool_schemas(self) -> List[Dict[str, Any]]:
        """One function-calling tool per action type (GetSchema's tools), as plain dicts: see incident_env.llm."""
        return tools_from_schema(await self._connection.call(self.stub.GetSchema, service_pb2.GetSchemaRequest()))

    async def reset(
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
        request = reset_request(
            task_level, seed=seed, scenario_id=scenario_id, episode_id=episode_id, fault_kind=fault_kind,
            family=family, clock=clock, minutes_per_second=minutes_per_second, observation=observation,
            text=text if text is not None else (True if self.text else None),
        )
        if episode_id is None:
            result = unbound_reset_result(await self._connection.call(self.stub.ResetBatch, unbound_reset_request(request)))
        else:
            result = reset_result(await self._connection.call(self.stub.Reset, request))
        previous, self.episode_id = self.episode_id, result.info["episode_id"]
        if previous is not None and previous != self.episode_id:
            await self._connection.close_episode(previous)
        return result

    def _episode(self, episode_id: Optional[str]) -> str:
        chosen = episode_id if episode_id is not None else self.episode_id
        if chosen is None:
            raise RuntimeError("no episode: call reset() first, or pass episode_id")
        return chosen

    async def step(self, action: ActionLike, *, episode_id: Optional[str] = None) -> StepResult:
        request = service_pb2.StepRequest(episode_id=self._episode(episode_id), action=action_message(action))
        return step_result(await self._connection.call(self.stub.Step, request))

    async def state(self, *, episode_id: Optional[str] = None) -> episode_pb2.EpisodeState:
        request = service_pb2.GetStateRequest(episode_id=self._episode(episode_id))
        return (await self._connection.call(self.stub.GetState, request)).state

    async def observation(self, *, episode_id: Optional[str] = None) -> observation_pb2.Observation:
        request = service_pb2.GetObservationRequest(episode_id=self._episode(episode_id))
        return (await self._connection.call(self.stub.GetObservation, request)).observation

    def logs(
        self,
        *,
        episode_id: Optional[str] = None,
        services: Iterable[str] = (),
        min_level: Optional[EnumLike] = None,
        after_seq: int = 0,
        since: Union[datetime.datetime, timestamp_pb2.Timestamp, None] = None,
        timeout: Optional[float] = None,
    ) -> AsyncLogStream:
        request = logs_request(self._episode(episode_id), services, min_level, after_seq, since)
        return AsyncLogStream(self.stub.StreamLogs(request, metadata=self._connection.metadata, timeout=timeout))

    async def close_episode(self, *, episode_id: Optional[str] = None) -> Optional[episode_pb2.EpisodeState]:
        chosen = self._episode(episode_id)
        if chosen == self.episode_id:
            self.episode_id = None
        return await self._connection.close_episode(chosen)

    async def close(self) -> None:
        try:
            if self.episode_id is not None:
                await self.close_episode()
        finally:
            await self._connection.channel.close()

    async def __aenter__(self) -> AsyncIncidentEnv:
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            await self.close()
        except IncidentEnvError:
            if exc_type is None:
                raise


class AsyncIncidentEnvBatch:
    """IncidentEnvBatch for asyncio."""

    def __init__(
        self,
        url: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT_SECONDS,
        channel_options: Sequence[Tuple[str, Any]] = (),
        text: bool = False,
    ):
        self._connection = _AsyncConnection(url, api_key, timeout, channel_options)
        #: Whether resets ask the server for each observation as markdown too (Observation.text; render_text()).
        self.text = text
        self.episode_ids: List[Optional[str]] = []

    def __len__(self) -> int:
        return len(self.episode_ids)

    @property
    def stub(self) -> service_pb2_grpc.IncidentEnvServiceStub:
        return self._connection.stub

    async def reset(
        self,
        items: Optional[Sequence[Dict[str, Any]]] = None,
        *,
        count: Optional[int] = None,
        return_exceptions: bool = False,
        **options: Any,
    ) -> List[Union[ResetResult, IncidentEnvError]]:
        request = reset_batch_request(items, count, with_text_default(options, self.text))
        results = reset_batch_results(await self._connection.call(self.stub.ResetBatch, request))
        previous = self.episode_ids
        self.episode_ids = [r.info["episode_id"] if isinstance(r, ResetResult) else None for r in results]
        await _close_all(self._connection.close_episode, [i for i in previous if i not in self.episode_ids])
        return raise_first_error(results, return_exceptions)

    async def step(
        self, actions: Sequence[Optional[ActionLike]], *, return_exceptions: bool = False
    ) -> List[Union[StepResult, IncidentEnvError, None]]:
        request, positions = step_batch_request(self.episode_ids, actions)
        if not positions:
            return [None] * len(self.episode_ids)
        response = await self._connection.call(self.stub.StepBatch, request)
        return raise_first_error(step_batch_results(response, positions, len(self.episode_ids)), return_exceptions)

    async def states(self) -> List[Optional[episode_pb2.EpisodeState]]:
        async def one(episode_id: Optional[str]) -> Optional[episode_pb2.EpisodeState]:
            if episode_id is None:
                return None
            return (await self._connection.call(self.stub.GetState, service_pb2.GetStateRequest(episode_id=episode_id))).state

        return list(await asyncio.gather(*(one(i) for i in self.episode_ids)))

    async def close(self) -> None:
        try:
            await _close_all(self._connection.close_episode, self.episode_ids)
            self.episode_ids = []
        finally:
            await self._connection.channel.close()

    async def __aenter__(self) -> AsyncIncidentEnvBatch:
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            await self.close()
        except IncidentEnvError:
            if exc_type is None:
                raise


async def _close_all(close: Callable[[str], Awaitable[object]], episode_ids: Iterable[Optional[str]]) -> None:
    """Closes every episode at once, then raises the first error if one failed."""
    outcomes = await asyncio.gather(*(close(i) for i in episode_ids if i is not None), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
