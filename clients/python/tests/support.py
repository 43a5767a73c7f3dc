"""What the tests share. They run against a live server: test/python-client.test.ts starts one
and sets INCIDENT_ENV_URL (run by hand: start a server, then
`INCIDENT_ENV_URL=localhost:7860 PYTHONPATH=clients/python/src python3 -m unittest discover -s clients/python/tests`).
Without INCIDENT_ENV_URL the tests that need a server are skipped."""
import os
import unittest
import uuid


def server_url() -> str:
    url = os.environ.get("INCIDENT_ENV_URL")
    if not url:
        raise unittest.SkipTest("INCIDENT_ENV_URL is not set: no server to test against")
    return url


def unique_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


#: A scenario whose answer the README documents: postgres-db, connection_pool_exhaustion.
EASY_SCENARIO = "INC-EASY-001"
EASY_ROOT = "postgres-db"
EASY_FAULT = "connection_pool_exhaustion"
