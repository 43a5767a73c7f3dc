"""Typed actions: one dataclass per ActionType, whose fields are the proto fields that action type
reads (the `action_fields` option of its ActionType value in proto/incident/v1/enums.proto, which is
also what its MCP tool takes). Field names are the proto's, so a tool call's arguments map onto
them as they are: ``parse_action({"action_type": "inspect", "target_service": "db"})``.

Enum-valued fields take the short word ("connection_pool_exhaustion", "restart", "P2"), the full
value name or the number; a bad value raises ValueError when the action is built.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Dict, Mapping, Optional, Sequence, Type, Union

from ._enums import EnumLike, to_enum, to_word, words
from .proto.incident.v1 import action_pb2, enums_pb2

#: A parameter of a fix; numbers are sent as their text (the proto map holds strings).
ParameterValue = Union[str, int, float]


@dataclass
class Remediation:
    """What apply_fix does: a kind ("restart", "scale", "shed_load", ...) and its settings,
    e.g. ``Remediation("scale", {"replicas": 6})``."""

    kind: EnumLike
    parameters: Mapping[str, ParameterValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        to_enum(enums_pb2.RemediationKind, self.kind, "remediation.kind")
        for key, value in self.parameters.items():
            if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise ValueError(f"remediation.parameters: expected text keys and text or number values, got {key!r}: {value!r}")

    def to_proto(self) -> action_pb2.Remediation:
        return action_pb2.Remediation(
            kind=to_enum(enums_pb2.RemediationKind, self.kind, "remediation.kind"),
            parameters={key: str(value) for key, value in self.parameters.items()},
        )


@dataclass
class PostmortemSections:
    """The sections of a postmortem; the first five are graded on the hard task."""

    summary: str = ""
    timeline: str = ""
    root_cause: str = ""
    impact: str = ""
    action_items: str = ""
    trigger: str = ""
    resolution: str = ""
    detection: str = ""
    lessons_learned: str = ""

    def to_proto(self) -> action_pb2.PostmortemSections:
        return action_pb2.PostmortemSections(**{f.name: getattr(self, f.name) for f in fields(self)})


@dataclass
class Action:
    """Base of the typed actions. ``to_proto()`` gives the incident.v1.Action to send."""

    #: The ActionType number this class stands for.
    action_type: ClassVar[enums_pb2.ActionType]

    def to_proto(self) -> action_pb2.Action:
        message = action_pb2.Action(action_type=self.action_type)
        for f in fields(self):
            _set_field(message, f.name, getattr(self, f.name))
        return message

    @property
    def action_word(self) -> str:
        """The action type's short word ("inspect")."""
        return to_word(enums_pb2.ActionType, self.action_type)


def _set_field(message: action_pb2.Action, name: str, value: Any) -> None:
    if value is None:
        return
    if name in ("reasoning", "target_service"):
        setattr(message, name, value)
    elif name == "runbook_steps":
        message.runbook_steps.extend(value)
    elif name == "fault_kind":
        message.fault_kind = to_enum(enums_pb2.FaultKind, value, "fault_kind")
    elif name == "severity_assessment":
        message.severity_assessment = to_enum(enums_pb2.Severity, value, "severity_assessment")
    elif name == "remediation":
        message.remediation.CopyFrom(_remediation(value).to_proto())
    elif name == "postmortem_sections":
        message.postmortem_sections.CopyFrom(_sections(value).to_proto())
    else:
        raise TypeError(f"no rule to send the field {name!r}")


def _remediation(value: Union[Remediation, EnumLike, Mapping[str, Any]]) -> Remediation:
    if isinstance(value, Remediation):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - {"kind", "parameters"}
        if unknown:
            raise ValueError(f"remediation: unknown field(s) {', '.join(sorted(unknown))}; expected kind and parameters")
        return Remediation(value.get("kind", ""), value.get("parameters") or {})
    return Remediation(value)


def _sections(value: Union[PostmortemSections, Mapping[str, str]]) -> PostmortemSections:
    if isinstance(value, PostmortemSections):
        return value
    known = {f.name for f in fields(PostmortemSections)}
    unknown = set(value) - known
    if unknown:
        raise ValueError(f"postmortem_sections: unknown section(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(known))}")
    return PostmortemSections(**value)


def _check_enum(enum: Any, value: Any, what: str) -> None:
    if value is not None:
        to_enum(enum, value, what)


@dataclass
class Diagnose(Action):
    """State which service is at the root of the incident, and optionally the fault class
    (``Diagnose("postgres-db", "connection_pool_exhaustion")``). Ends an easy episode."""

    action_type: ClassVar[enums_pb2.ActionType] = enums_pb2.ACTION_TYPE_DIAGNOSE
    target_service: str
    fault_kind: Optional[EnumLike] = None
    reasoning: str = ""

    def __post_init__(self) -> None:
        _check_enum(enums_pb2.FaultKind, self.fault_kind, "fault_kind")


@dataclass
class Escalate(Action):
    """Hand the incident to another team or a provider (whose owners are paged)."""

    action_type: ClassVar[enums_pb2.ActionType] = enums_pb2.ACTION_TYPE_ESCALATE
    target_service: Optional[str] = None
    reasoning: str = ""


@dataclass
class WriteRunbook(Action):
    """Submit a runbook, one instruction per step (graded on the medium task)."""

    action_type: ClassVar[enums_pb2.ActionType] = enums_pb2.ACTION_TYPE_WRITE_RUNBOOK
    runbook_steps: Sequence[str]
    target_service: Optional[str] = None
    reasoning: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.runbook_steps, str):
            raise ValueError("runbook_steps: expected a list of steps, got one string")


@dataclass
class ApplyFix(Action):
    """Apply a fix to a service: ``ApplyFix("api", "rollback")``,
    ``ApplyFix("api", Remediation("scale", {"replicas": 6}))``. Without a remediation the fix is
    read from the reasoning (older clients)."""

    action_type: ClassVar[enums_pb2.ActionType] = enums_pb2.ACTION_TYPE_APPLY_FIX
    target_service: str
    remediation: Optional[Union[Remediation, EnumLike, Mapping[str, Any]]] = None
    reasoning: str = ""

    def __post_init__(self) -> None:
        if self.remediation is not None:
            _remediation(self.remediation)


@dataclass
class WritePostmortem(Action):
    """Submit a postmortem (graded on the hard task):
    ``WritePostmortem(PostmortemSections(summary=..., root_cause=...), severity_assessment="P2")``;
    the sections may also be a dict."""

    action_type: ClassVar[enums_pb2.ActionType] = enums_pb2.ACTION_TYPE_WRITE_POSTMORTEM
    postmortem_sections: Union[PostmortemSections, Mapping[str, str]]
    severity_assessment: Optional[EnumLike] = None
    target_service: Optional[str] = None
    reasoning: str = ""

    def __post_init__(self) -> None:
        _sections(self.postmortem_sections)
        _check_enum(enums_pb2.Severity, self.severity_assessment, "severity_assessment")


@dataclass
class Resolve(Action):
    """Declare the incident over; ends the episode."""

    action_type: ClassVar[enums_pb2.ActionType] = enums_pb2.ACTION_TYPE_RESOLVE
    reasoning: str = ""


@dataclass
class Inspect(Action):
    """Look closely at one service; the result arrives in the next observation's inspection."""

    action_type: ClassVar[enums_pb2.ActionType] = enums_pb2.ACTION_TYPE_INSPECT
    target_service: str
    reasoning: str = ""


#: The typed action of each ActionType number.
ACTIONS: Dict[int, Type[Action]] = {
    cls.action_type: cls for cls in (Diagnose, Escalate, WriteRunbook, ApplyFix, WritePostmortem, Resolve, Inspect)
}
#: The typed action of each action type's short word ("inspect": Inspect).
ACTION_WORDS: Dict[str, Type[Action]] = {to_word(enums_pb2.ActionType, number): cls for number, cls in ACTIONS.items()}


def parse_action(data: Mapping[str, Any]) -> Action:
    """The typed action of a dict in the REST/MCP shape, e.g. a model's tool call:
    ``{"action_type": "diagnose", "target_service": "db", "fault_kind": "disk_full"}``.
    Unknown fields raise ValueError (an OpenEnv client's empty ``metadata`` is dropped)."""
    if not isinstance(data, Mapping):
        raise ValueError(f"an action is an object with action_type, got {type(data).__name__}")
    if "action_type" not in data:
        raise ValueError(f"an action needs action_type, one of {', '.join(words(enums_pb2.ActionType))}")
    cls = ACTIONS[to_enum(enums_pb2.ActionType, data["action_type"], "action_type")]
    known = {f.name for f in fields(cls)}
    arguments = {k: v for k, v in data.items() if k not in ("action_type", "metadata") and v is not None}
    unknown = set(arguments) - known
    if unknown:
        word = to_word(enums_pb2.ActionType, cls.action_type)
        raise ValueError(f"{word} takes {', '.join(sorted(known))}; unknown field(s): {', '.join(sorted(unknown))}")
    missing = [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING and f.name not in arguments]
    if missing:
        raise ValueError(f"{to_word(enums_pb2.ActionType, cls.action_type)} needs {', '.join(missing)}")
    return cls(**arguments)


#: What step() accepts: a typed action, an incident.v1.Action message, or a dict for parse_action.
ActionLike = Union[Action, action_pb2.Action, Mapping[str, Any]]


def action_message(action: ActionLike) -> action_pb2.Action:
    if isinstance(action, Action):
        return action.to_proto()
    if isinstance(action, action_pb2.Action):
        return action
    if isinstance(action, Mapping):
        return parse_action(action).to_proto()
    raise TypeError(f"expected an action (Inspect(...), Diagnose(...), ...), an incident.v1.Action or a dict, got {type(action).__name__}")
