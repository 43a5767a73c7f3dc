"""Python client of incident-response-env: train and evaluate incident-response agents over gRPC.

    from incident_env import IncidentEnv, Inspect, Diagnose

    with IncidentEnv("localhost:7860") as env:
        observation, info = env.reset("easy", seed=42)
        observation, reward, terminated, truncated, info = env.step(Inspect(observation.alert.affected_services[0]))

IncidentEnv / IncidentEnvBatch (sync) and AsyncIncidentEnv / AsyncIncidentEnvBatch (asyncio,
incident_env.aio); typed actions (incident_env.actions); IncidentEnvError for every error the
server answers with; render_text() and tool_schemas() for language-model policies
(incident_env.llm); the generated stubs under incident_env.proto.
"""
from ._protocol import ResetResult, StepResult
from ._version import __version__
from .actions import (
    ACTION_WORDS,
    ACTIONS,
    Action,
    ApplyFix,
    Diagnose,
    Escalate,
    Inspect,
    PostmortemSections,
    Remediation,
    Resolve,
    WritePostmortem,
    WriteRunbook,
    parse_action,
)
from .aio import AsyncIncidentEnv, AsyncIncidentEnvBatch, AsyncLogStream
from .client import IncidentEnv, IncidentEnvBatch, LogStream
from .errors import FieldViolation, IncidentEnvError
from .llm import action_from_tool_call, render_text, tool_schemas

__all__ = [
    "ACTION_WORDS",
    "ACTIONS",
    "Action",
    "ApplyFix",
    "AsyncIncidentEnv",
    "AsyncIncidentEnvBatch",
    "AsyncLogStream",
    "Diagnose",
    "Escalate",
    "FieldViolation",
    "IncidentEnv",
    "IncidentEnvBatch",
    "IncidentEnvError",
    "Inspect",
    "LogStream",
    "PostmortemSections",
    "Remediation",
    "ResetResult",
    "Resolve",
    "StepResult",
    "WritePostmortem",
    "WriteRunbook",
    "parse_action",
    "__version__",
    "action_from_tool_call",
    "render_text",
    "tool_schemas",
]
