"""Where the server is, how to reach it and what every call carries (shared by the sync and the
asyncio clients)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Optional, Sequence, Tuple
from urllib.parse import urlsplit

import grpc

from ._version import __version__

#: The server's default port (PORT on the server).
DEFAULT_PORT = 7860
#: Read when no url is given.
URL_ENV = "INCIDENT_ENV_URL"
#: Read when no api_key is given.
API_KEY_ENV = "INCIDENT_ENV_API_KEY"
#: Deadline of each unary call unless the client is given another.
DEFAULT_TIMEOUT_SECONDS = 30.0
#: Largest response accepted: a batch of full observations exceeds gRPC's default of 4 MiB.
MAX_RECEIVE_MESSAGE_BYTES = 64 * 1024 * 1024

Metadata = Tuple[Tuple[str, str], ...]


@dataclass(frozen=True)
class Target:
    """A gRPC target ("host:port") and whether it is reached over TLS."""

    address: str
    secure: bool


def parse_url(url: Optional[str]) -> Target:
    """"host:port", "host" (port 7860), "http://host[:port]" (h2c) or "https://host[:port]" (TLS).

    None reads INCIDENT_ENV_URL, then falls back to localhost:7860. gRPC has no path prefix, so a
    URL with a path is refused.
    """
    text = (url if url is not None else os.environ.get(URL_ENV) or f"localhost:{DEFAULT_PORT}").strip()
    scheme, _, rest = text.rpartition("://")
    if scheme not in ("", "http", "https", "grpc", "grpcs"):
        raise ValueError(f"unsupported URL scheme {scheme!r} in {text!r}: use http://, https:// or host:port")
    parts = urlsplit("//" + rest)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{text!r}: gRPC is served at the root of the server; drop the path {parts.path!r}")
    host = parts.hostname
    if not host:
        raise ValueError(f"{text!r}: no host")
    secure = scheme in ("https", "grpcs")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{text!r}: bad port") from None
    if port is None:
        port = {"": DEFAULT_PORT, "http": 80, "grpc": DEFAULT_PORT, "https": 443, "grpcs": 443}[scheme]
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return Target(address, secure)


def call_metadata(api_key: Optional[str]) -> Metadata:
    """What every call sends: `authorization: Bearer <key>` when there is a key (api_key, else
    INCIDENT_ENV_API_KEY)."""
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if key is None or key.strip() == "":
        return ()
    return (("authorization", f"Bearer {key.strip()}"),)


def channel_options(extra: Sequence[Tuple[str, Any]] = ()) -> list:
    return [
        ("grpc.max_receive_message_length", MAX_RECEIVE_MESSAGE_BYTES),
        ("grpc.primary_user_agent", f"incident-env-python/{__version__}"),
        *extra,
    ]


def sync_channel(target: Target, extra: Sequence[Tuple[str, Any]] = ()) -> grpc.Channel:
    if target.secure:
        return grpc.secure_channel(target.address, grpc.ssl_channel_credentials(), options=channel_options(extra))
    return grpc.insecure_channel(target.address, options=channel_options(extra))


def aio_channel(target: Target, extra: Sequence[Tuple[str, Any]] = ()) -> grpc.aio.Channel:
    if target.secure:
        return grpc.aio.secure_channel(target.address, grpc.ssl_channel_credentials(), options=channel_options(extra))
    return grpc.aio.insecure_channel(target.address, options=channel_options(extra))
