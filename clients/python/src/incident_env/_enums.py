"""Enum values from the words people write, and back.

Every enum of the protos spells its values with a prefix (ACTION_TYPE_INSPECT); the REST routes,
the MCP tools and this package also accept the short word ("inspect"), the way
src/env/enum-words.ts spells it on the server. The prefix is read from the enum's UNSPECIFIED
value, so a new enum or value needs no change here.
"""
from __future__ import annotations

from typing import Any, Union

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

#: What a caller may pass for an enum field: the short word ("easy", "P2"), the full value name
#: ("TASK_LEVEL_EASY") or the number.
EnumLike = Union[str, int]


def _prefix(enum: EnumTypeWrapper) -> str:
    for value in enum.DESCRIPTOR.values:
        if value.number == 0 and value.name.endswith("_UNSPECIFIED"):
            return value.name[: -len("UNSPECIFIED")]
    raise TypeError(f"{enum.DESCRIPTOR.full_name} has no *_UNSPECIFIED zero value")


def words(enum: EnumTypeWrapper) -> list[str]:
    """The short words of an enum's values, in number order, without UNSPECIFIED."""
    prefix = _prefix(enum)
    return [v.name[len(prefix):].lower() for v in enum.DESCRIPTOR.values if v.number != 0]


def to_enum(enum: EnumTypeWrapper, value: Any, what: str) -> Any:
    """The number of `value` in `enum`; ValueError naming `what` and the accepted words otherwise.
    (Typed Any: the stubs type each enum field by the enum's own int subclass.)"""
    prefix = _prefix(enum)
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected one of {', '.join(words(enum))}, got {value!r}")
    if isinstance(value, int):
        if value != 0 and value in enum.DESCRIPTOR.values_by_number:
            return value
    elif isinstance(value, str):
        name = value.strip().upper().replace("-", "_").replace(" ", "_")
        for candidate in (prefix + name, name):
            found = enum.DESCRIPTOR.values_by_name.get(candidate)
            if found is not None and found.number != 0:
                return found.number
    raise ValueError(f"{what}: expected one of {', '.join(words(enum))}, got {value!r}")


def to_word(enum: EnumTypeWrapper, number: int) -> str:
    """The short word of a number ("terminated_success"); "unspecified" for 0, the number as text if unknown."""
    found = enum.DESCRIPTOR.values_by_number.get(number)
    if found is None:
        return str(number)
    return found.name[len(_prefix(enum)):].lower()
