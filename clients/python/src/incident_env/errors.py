"""The one exception type of the package, for every error the server answers with.

gRPC calls fail with a status code and a message; the server adds each broken input rule as a
detail (in the standard grpc-status-details-bin trailer, a google.rpc.Status): an
incident.v1.FieldViolation when the environment refused the request, a buf.validate.Violations
when the protovalidate rules of the protos did. Batch items and Interact responses carry the same
as an ErrorResponse, with the code as a Connect word ("not_found"). All become an
IncidentEnvError.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence, Tuple

import grpc
from google.protobuf.message import DecodeError

from .proto.buf.validate import validate_pb2
from .proto.incident.v1 import service_pb2

_STATUS_DETAILS_KEY = "grpc-status-details-bin"
_FIELD_VIOLATION_TYPE = "incident.v1.FieldViolation"
_VALIDATE_VIOLATIONS_TYPE = "buf.validate.Violations"
# Connect spells this one code differently from gRPC.
_CONNECT_WORD_TO_GRPC = {"canceled": "CANCELLED"}


@dataclass(frozen=True)
class FieldViolation:
    """One broken input rule: the field's path ("action.runbook_steps[3]"), the rule's id, why."""

    field: str
    rule: str
    message: str


class IncidentEnvError(Exception):
    """An error the environment answered with.

    code: the grpc.StatusCode (NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION, ...);
    code_name: the same as the server's word ("not_found"); message: the server's explanation;
    violations: the input rules the request broke, when that was the reason.
    """

    def __init__(self, code: grpc.StatusCode, message: str, violations: Sequence[FieldViolation] = ()):
        self.code = code
        self.message = message
        self.violations: Tuple[FieldViolation, ...] = tuple(violations)
        super().__init__(code, message, self.violations)

    @property
    def code_name(self) -> str:
        name = self.code.name.lower()
        return "canceled" if name == "cancelled" else name

    def __str__(self) -> str:
        text = f"{self.code_name}: {self.message}"
        for v in self.violations:
            text += f"\n  {v.field}: {v.message} ({v.rule})"
        return text

    def __repr__(self) -> str:
        return f"IncidentEnvError({self.code}, {self.message!r}, {list(self.violations)!r})"


def _status_code(word: str) -> grpc.StatusCode:
    name = _CONNECT_WORD_TO_GRPC.get(word, word.upper())
    return grpc.StatusCode[name] if name in grpc.StatusCode.__members__ else grpc.StatusCode.UNKNOWN


def from_error_response(error: service_pb2.ErrorResponse) -> IncidentEnvError:
    """The error of a failed batch item (or Interact request)."""
    violations = [FieldViolation(v.field, v.rule, v.message) for v in error.violations]
    return IncidentEnvError(_status_code(error.code), error.message, violations)


def from_rpc_error(error: grpc.RpcError) -> IncidentEnvError:
    """The error of a failed call, with the FieldViolation details the server attached."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = error.details() if hasattr(error, "details") else str(error)
    violations: list = []
    trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == _STATUS_DETAILS_KEY and isinstance(value, bytes):
            violations = list(_violations_in_status(value))
    return IncidentEnvError(code or grpc.StatusCode.UNKNOWN, message or "", violations)


# google.rpc.Status is {1: int32 code, 2: string message, 3: repeated google.protobuf.Any details}
# and Any is {1: string type_url, 2: bytes value}. It is read by hand here: the stubs of
# google/rpc/status.proto live in googleapis-common-protos, which would be a third dependency
# (and a second copy of the file in the descriptor pool of anyone who has it).


def _read_varint(data: bytes, pos: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _fields(data: bytes) -> Iterator[Tuple[int, Optional[bytes]]]:
    """(field number, bytes) for each length-delimited field; (number, None) for the others."""
    pos = 0
    while pos < len(data):
        key, pos = _read_varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, pos = _read_varint(data, pos)
            yield number, None
        elif wire_type == 2:
            length, pos = _read_varint(data, pos)
            if pos + length > len(data):
                raise ValueError("truncated field")
            yield number, data[pos : pos + length]
            pos += length
        elif wire_type == 1:
            pos += 8
            yield number, None
        elif wire_type == 5:
            pos += 4
            yield number, None
        else:
            raise ValueError(f"unsupported wire type {wire_type}")


def _violations_in_status(status: bytes) -> Iterator[FieldViolation]:
    try:
        details = [value for number, value in _fields(status) if number == 3 and value is not None]
        for any_bytes in details:
            parts = dict((n, v) for n, v in _fields(any_bytes) if v is not None)
            type_url = parts.get(1, b"").decode("utf-8", "replace")
            type_name = type_url.rsplit("/", 1)[-1]
            if type_name == _FIELD_VIOLATION_TYPE:
                v = service_pb2.FieldViolation.FromString(parts.get(2, b""))
                yield FieldViolation(v.field, v.rule, v.message)
            elif type_name == _VALIDATE_VIOLATIONS_TYPE:
                for violation in validate_pb2.Violations.FromString(parts.get(2, b"")).violations:
                    yield FieldViolation(_path_text(violation.field), violation.rule_id, violation.message)
    except (ValueError, DecodeError):
        # A malformed trailer loses the details, never the error itself.
        return


def _path_text(path: validate_pb2.FieldPath) -> str:
    """A field path as the server prints it: action.runbook_steps[3], remediation.parameters["x"]."""
    text = ""
    for element in path.elements:
        text += ("." if text else "") + element.field_name
        subscript = element.WhichOneof("subscript")
        if subscript == "string_key":
            text += f"[{json.dumps(element.string_key)}]"
        elif subscript == "bool_key":
            text += "[true]" if element.bool_key else "[false]"
        elif subscript is not None:
            text += f"[{getattr(element, subscript)}]"
    return text
