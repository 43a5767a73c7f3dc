"""Helpers for language-model policies, both answered by the server so that every client and the
server's own LLM agent share one renderer and one set of tool definitions:

- ``render_text(observation)``: the observation as compact markdown (the page, the golden signals
  with the anomalous services first, active alerts, recent logs, the last inspection, and the
  topology and KB articles when the observation carries them). The server renders it into
  ``Observation.text`` for episodes reset with ``text=True`` (``IncidentEnv(url, text=True)``);
  the text is made from the observation's own fields, so it tells the model nothing more.
- ``tool_schemas(env_or_url)``: one function-calling tool per action type, in the OpenAI shape
  ``{"type": "function", "function": {"name", "description", "parameters"}}`` (GetSchema's
  ``tools``; the same as the server's MCP tools), ready to pass as ``tools=`` to a chat API. A
  call is the action ``{"action_type": name, **arguments}``: ``action_from_tool_call`` builds it.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Union

from google.protobuf import json_format, struct_pb2

from .actions import Action, parse_action
from .proto.incident.v1 import observation_pb2, service_pb2


def render_text(observation: Union[observation_pb2.Observation, Mapping[str, Any]]) -> str:
    """The server's markdown rendering of an observation (Observation.text).

    Takes the observation message, or its JSON as the REST routes and /ws send it (a dict). Raises
    ValueError when the observation carries no text: the episode was reset without ``text=True``.
    """
    if isinstance(observation, observation_pb2.Observation):
        if observation.HasField("text"):
            return observation.text
    elif isinstance(observation, Mapping):
        text = observation.get("text")
        if isinstance(text, str):
            return text
    else:
        raise TypeError(f"render_text takes an incident.v1.Observation or its JSON (a dict), got {type(observation).__name__}")
    raise ValueError(
        "this observation carries no text: the server renders observations only for episodes reset with text "
        "(IncidentEnv(url, text=True), reset(..., text=True), or {\"text\": true} in a REST /reset body)"
    )


def _plain(value: Any) -> Any:
    """A google.protobuf.Struct value as JSON Schema wants it: whole numbers as ints (Struct keeps doubles)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def tools_from_schema(response: service_pb2.GetSchemaResponse) -> List[Dict[str, Any]]:
    """The tool definitions of a GetSchema response, as plain dicts."""
    tools: List[struct_pb2.Struct] = list(response.tools)
    return [_plain(json_format.MessageToDict(tool)) for tool in tools]


def tool_schemas(source: Any = None, *, api_key: Optional[str] = None, timeout: Optional[float] = 30.0) -> List[Dict[str, Any]]:
    """The function-calling tools, one per action type, fetched with GetSchema.

    source: an IncidentEnv (its channel is used), or the server's URL (default INCIDENT_ENV_URL,
    else localhost:7860) for a short-lived connection. Same as ``IncidentEnv.tool_schemas()``.
    """
    from .client import IncidentEnv  # here: client.py imports this module

    if isinstance(source, IncidentEnv):
        return source.tool_schemas()
    if source is not None and not isinstance(source, str):
        raise TypeError(f"tool_schemas takes an IncidentEnv or a URL, got {type(source).__name__}")
    with IncidentEnv(source, api_key=api_key, timeout=timeout) as env:
        return env.tool_schemas()


def action_from_tool_call(name: str, arguments: Union[str, Mapping[str, Any], None]) -> Action:
    """The typed action a model's tool call stands for: its name is the action type, its arguments
    (a JSON string, as chat APIs return them, or a dict) the action's fields. Raises ValueError for
    an unknown tool or argument, or arguments that are not a JSON object."""
    if arguments is None or arguments == "":
        args: Any = {}
    elif isinstance(arguments, str):
        try:
            args = json.loads(arguments)
        except json.JSONDecodeError as error:
            raise ValueError(f"the arguments of tool call {name!r} are not JSON: {error}") from None
    else:
        args = dict(arguments)
    if not isinstance(args, dict):
        raise ValueError(f"the arguments of tool call {name!r} must be a JSON object")
    if "action_type" in args:
        raise ValueError("action_type is the tool's name, not an argument")
    return parse_action({"action_type": name, **args})
