"""No server needed: the typed actions cover the protos, the stubs load as subpackages."""
import os
import pickle
import unittest
from dataclasses import fields

import incident_env
from incident_env import (
    ACTION_WORDS,
    ACTIONS,
    ApplyFix,
    Diagnose,
    Inspect,
    PostmortemSections,
    Remediation,
    WritePostmortem,
    WriteRunbook,
    parse_action,
)
from incident_env._transport import call_metadata, parse_url
from incident_env.proto.incident.v1 import (
    action_pb2,
    enums_pb2,
    options_pb2,
    service_pb2_grpc,
)


class TypedActions(unittest.TestCase):
    def test_every_action_type_has_a_typed_action_with_exactly_its_fields(self):
        # The action_fields option of each ActionType value lists the Action fields it reads (what
        # its MCP tool takes); a new action type or field cannot be forgotten here.
        for value in enums_pb2.ActionType.DESCRIPTOR.values:
            if value.number == 0:
                continue
            with self.subTest(action_type=value.name):
                self.assertIn(value.number, ACTIONS, f"no typed action for {value.name}")
                cls = ACTIONS[value.number]
                self.assertEqual(cls.action_type, value.number)
                expected = set(value.GetOptions().Extensions[options_pb2.action_fields])
                self.assertEqual({f.name for f in fields(cls)}, expected)
                for name in expected:
                    self.assertIn(name, action_pb2.Action.DESCRIPTOR.fields_by_name)
        self.assertEqual(len(ACTIONS), len(enums_pb2.ActionType.DESCRIPTOR.values) - 1)
        self.assertEqual(sorted(ACTION_WORDS), sorted(["diagnose", "escalate", "write_runbook", "apply_fix", "write_postmortem", "resolve", "inspect"]))

    def test_actions_become_the_proto_message(self):
        self.assertEqual(Inspect("db").to_proto(), action_pb2.Action(action_type=enums_pb2.ACTION_TYPE_INSPECT, target_service="db"))
        fix = ApplyFix("api", Remediation("scale", {"replicas": 6, "zone": "b"}), reasoning="more capacity").to_proto()
        self.assertEqual(fix.remediation.kind, enums_pb2.REMEDIATION_KIND_SCALE)
        self.assertEqual(dict(fix.remediation.parameters), {"replicas": "6", "zone": "b"})
        self.assertEqual(fix.reasoning, "more capacity")
        diagnosis = Diagnose("db", "FAULT_KIND_DISK_FULL").to_proto()
        self.assertEqual(diagnosis.fault_kind, enums_pb2.FAULT_KIND_DISK_FULL)
        self.assertTrue(diagnosis.HasField("fault_kind"))
        self.assertFalse(Diagnose("db").to_proto().HasField("fault_kind"))
        postmortem = WritePostmortem({"summary": "s", "root_cause": "r"}, severity_assessment="p2").to_proto()
        self.assertEqual(postmortem.severity_assessment, enums_pb2.SEVERITY_P2)
        self.assertEqual(postmortem.postmortem_sections, action_pb2.PostmortemSections(summary="s", root_cause="r"))
        self.assertEqual(WritePostmortem(PostmortemSections(impact="i")).to_proto().postmortem_sections.impact, "i")
        self.assertEqual(list(WriteRunbook(["a", "b"]).to_proto().runbook_steps), ["a", "b"])

    def test_bad_values_fail_when_the_action_is_built(self):
        with self.assertRaisesRegex(ValueError, r"fault_kind: expected one of bad_deploy, .*got 'flood'"):
            Diagnose("db", "flood")
        with self.assertRaisesRegex(ValueError, "remediation.kind"):
            ApplyFix("db", "reboot")
        with self.assertRaisesRegex(ValueError, "severity_assessment"):
            WritePostmortem({}, severity_assessment="P9")
        with self.assertRaisesRegex(ValueError, "unknown section"):
            WritePostmortem({"summery": "typo"})
        with self.assertRaisesRegex(ValueError, "one string"):
            WriteRunbook("restart it")

    def test_parse_action_takes_the_rest_and_tool_call_shape(self):
        self.assertEqual(parse_action({"action_type": "inspect", "target_service": "db", "metadata": {}}), Inspect("db"))
        self.assertEqual(
            parse_action({"action_type": "apply_fix", "target_service": "db", "remediation": {"kind": "restart"}}).to_proto().remediation.kind,
            enums_pb2.REMEDIATION_KIND_RESTART,
        )
        with self.assertRaisesRegex(ValueError, "unknown field.*targetService"):
            parse_action({"action_type": "inspect", "targetService": "db"})
        with self.assertRaisesRegex(ValueError, "diagnose needs target_service"):
            parse_action({"action_type": "diagnose"})
        with self.assertRaisesRegex(ValueError, "action_type: expected one of"):
            parse_action({"action_type": "reboot"})
        with self.assertRaisesRegex(ValueError, "needs action_type"):
            parse_action({"target_service": "db"})


class Stubs(unittest.TestCase):
    def test_they_load_as_subpackages_and_messages_pickle(self):
        self.assertTrue(hasattr(service_pb2_grpc, "IncidentEnvServiceStub"))
        message = Inspect("db").to_proto()
        self.assertEqual(type(message).__module__, "incident_env.proto.incident.v1.action_pb2")
        self.assertEqual(pickle.loads(pickle.dumps(message)), message)

    def test_the_installed_copy_is_the_one_tested(self):
        # Set by test/python-client.test.ts when it runs these tests in a venv it installed into.
        if os.environ.get("INCIDENT_ENV_EXPECT_INSTALLED") == "1":
            self.assertIn(os.sep + "site-packages" + os.sep, incident_env.__file__)


class Transport(unittest.TestCase):
    def test_urls(self):
        self.assertEqual(parse_url("localhost:7860"), parse_url("http://localhost:7860"))
        self.assertEqual(parse_url("example.org").address, "example.org:7860")
        self.assertEqual(parse_url("http://example.org").address, "example.org:80")
        https = parse_url("https://example.org")
        self.assertEqual((https.address, https.secure), ("example.org:443", True))
        self.assertEqual(parse_url("[::1]:9000").address, "[::1]:9000")
        self.assertFalse(parse_url("127.0.0.1:1").secure)
        for bad in ("http://example.org/api", "ftp://example.org", "example.org:notaport", "http://"):
            with self.subTest(url=bad), self.assertRaises(ValueError):
                parse_url(bad)

    def test_api_key_metadata(self):
        previous = os.environ.pop("INCIDENT_ENV_API_KEY", None)
        try:
            self.assertEqual(call_metadata(None), ())
            self.assertEqual(call_metadata("k" * 20), (("authorization", "Bearer " + "k" * 20),))
            os.environ["INCIDENT_ENV_API_KEY"] = "from-the-environment"
            self.assertEqual(call_metadata(None), (("authorization", "Bearer from-the-environment"),))
            self.assertEqual(call_metadata("explicit"), (("authorization", "Bearer explicit"),))
        finally:
            os.environ.pop("INCIDENT_ENV_API_KEY", None)
            if previous is not None:
                os.environ["INCIDENT_ENV_API_KEY"] = previous


if __name__ == "__main__":
    unittest.main()
