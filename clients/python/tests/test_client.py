"""IncidentEnv against a live server: an episode to its end, the Gymnasium result, errors,
episode ownership of the client."""
import os
import unittest

import grpc
from support import EASY_FAULT, EASY_ROOT, EASY_SCENARIO, server_url, unique_id

from incident_env import (
    Diagnose,
    IncidentEnv,
    IncidentEnvError,
    Inspect,
    Resolve,
    StepResult,
)
from incident_env.proto.incident.v1 import (
    enums_pb2,
    episode_pb2,
    observation_pb2,
    service_pb2,
)


class Episode(unittest.TestCase):
    def test_an_easy_episode_to_its_end_with_typed_actions(self):
        with IncidentEnv(server_url()) as env:
            observation, info = env.reset("easy", scenario_id=EASY_SCENARIO, seed=11)
            self.assertIsInstance(observation, observation_pb2.Observation)
            self.assertEqual(observation.step, 0)
            self.assertTrue(observation.HasField("topology"))  # the reset's observation is complete
            self.assertEqual(info["episode_id"], env.episode_id)
            self.assertEqual((info["seed"], info["scenario_id"], info["task_level"]), (11, EASY_SCENARIO, "easy"))
            self.assertEqual(info["state"].status, enums_pb2.EPISODE_STATUS_RUNNING)

            result = env.step(Inspect(EASY_ROOT, reasoning="the pool"))
            self.assertIsInstance(result, StepResult)
            observation, reward, terminated, truncated, step_info = result
            self.assertEqual((reward, terminated, truncated), (0.0, False, False))
            self.assertEqual(step_info["status"], "running")
            self.assertIsNone(step_info["breakdown"])
            self.assertEqual(observation.inspection.service, EASY_ROOT)

            observation, reward, terminated, truncated, step_info = env.step(Diagnose(EASY_ROOT, EASY_FAULT))
            self.assertTrue(terminated)
            self.assertFalse(truncated)
            self.assertGreater(reward, 0.7)
            self.assertEqual(step_info["status"], "terminated_success")
            self.assertAlmostEqual(step_info["breakdown"].step_score, reward)
            self.assertEqual(step_info["episode_id"], env.episode_id)

            state = env.state()
            self.assertIsInstance(state, episode_pb2.EpisodeState)
            self.assertEqual((state.step_count, state.done, state.truncated), (2, True, False))
            self.assertAlmostEqual(state.total_reward, reward)

            # A step after the end is refused, with the server's reason.
            with self.assertRaises(IncidentEnvError) as caught:
                env.step(Resolve())
            self.assertEqual(caught.exception.code, grpc.StatusCode.FAILED_PRECONDITION)

    def test_running_out_of_steps_is_truncation(self):
        with IncidentEnv(server_url()) as env:
            observation, info = env.reset("easy", seed=3)
            service = observation.alert.affected_services[0]
            for _ in range(info["max_steps"]):
                result = env.step(Inspect(service))
            self.assertTrue(result.truncated)
            self.assertFalse(result.terminated)
            self.assertTrue(result.done)
            self.assertEqual(result.info["status"], "terminated_failed")
            self.assertTrue(env.state().truncated)

    def test_observation_is_complete_and_steps_take_dicts_and_messages(self):
        with IncidentEnv(server_url()) as env:
            first, _ = env.reset("medium", seed=5)
            step = env.step({"action_type": "inspect", "target_service": first.alert.affected_services[0]})
            self.assertFalse(step.observation.HasField("topology"))  # lean step observations
            complete = env.observation()
            self.assertTrue(complete.HasField("topology"))
            self.assertEqual(complete.step, 1)
            self.assertEqual(env.step(Inspect(first.alert.affected_services[0]).to_proto()).observation.step, 2)

    def test_server_named_and_client_named_episodes(self):
        episode_id = unique_id("py-named")
        with IncidentEnv(server_url()) as env:
            _, info = env.reset(episode_id=episode_id)
            self.assertEqual(info["episode_id"], episode_id)
            _, info = env.reset()
            self.assertNotEqual(info["episode_id"], episode_id)
            # The reset closed the episode this client played before.
            with self.assertRaises(IncidentEnvError) as caught:
                env.state(episode_id=episode_id)
            self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)

    def test_an_episode_the_server_named_is_not_the_connections_default(self):
        # A Reset without an id would make the episode the default one of the HTTP/2 connection,
        # which the server closes with the connection, and it closes connections left idle for a
        # while: an agent thinking long between two steps would lose its episode. The client's
        # episodes are never defaults, so a request without an id on its connection finds none.
        with IncidentEnv(server_url()) as env:
            env.reset("easy", seed=6)
            with self.assertRaises(grpc.RpcError) as caught:
                env.stub.GetState(service_pb2.GetStateRequest(), timeout=10)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
            self.assertEqual(env.state().seed, 6)

    def test_two_clients_in_one_process_keep_their_own_episodes(self):
        with IncidentEnv(server_url()) as a, IncidentEnv(server_url()) as b:
            a.reset("easy", seed=1)
            b.reset("easy", seed=2)
            self.assertEqual(a.state().seed, 1)
            self.assertEqual(b.state().seed, 2)
            self.assertEqual(a.step(Resolve()).info["episode_id"], a.episode_id)

    def test_leaving_the_with_block_closes_the_episode(self):
        with IncidentEnv(server_url()) as env:
            env.reset("easy")
            episode_id = env.episode_id
        with IncidentEnv(server_url()) as other:
            with self.assertRaises(IncidentEnvError) as caught:
                other.state(episode_id=episode_id)
            self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)

    def test_close_episode_returns_the_last_state(self):
        with IncidentEnv(server_url()) as env:
            env.reset("hard", seed=9)
            state = env.close_episode()
            self.assertEqual(state.status, enums_pb2.EPISODE_STATUS_CLOSED)
            self.assertIsNone(env.episode_id)
            with self.assertRaisesRegex(RuntimeError, "call reset"):
                env.step(Resolve())


class Errors(unittest.TestCase):
    def test_an_unknown_episode_is_not_found(self):
        with IncidentEnv(server_url()) as env:
            with self.assertRaises(IncidentEnvError) as caught:
                env.state(episode_id="py-never-created")
            error = caught.exception
            self.assertEqual(error.code, grpc.StatusCode.NOT_FOUND)
            self.assertEqual(error.code_name, "not_found")
            self.assertIn("py-never-created", error.message)
            self.assertTrue(str(error).startswith("not_found: "))

    def test_broken_rules_come_with_their_violations(self):
        with IncidentEnv(server_url()) as env:
            env.reset("easy")
            with self.assertRaises(IncidentEnvError) as caught:
                env.step(Inspect("x" * 200))
            error = caught.exception
            self.assertEqual(error.code, grpc.StatusCode.INVALID_ARGUMENT)
            self.assertEqual([(v.field, v.rule) for v in error.violations], [("action.target_service", "string.max_len")])
            with self.assertRaises(IncidentEnvError) as caught:
                env.reset(episode_id="no spaces allowed")
            self.assertEqual(caught.exception.violations[0].field, "episode_id")
            self.assertEqual(caught.exception.violations[0].rule, "string.pattern")

    def test_client_side_mistakes_fail_before_sending(self):
        with IncidentEnv(server_url()) as env:
            with self.assertRaisesRegex(ValueError, "task_level: expected one of easy, medium, hard, expert"):
                env.reset("impossible")
            env.reset()
            with self.assertRaisesRegex(TypeError, "expected an action"):
                env.step("inspect db")
            self.assertEqual(env.state().step_count, 0)

    def test_an_unreachable_server_is_unavailable(self):
        with IncidentEnv("127.0.0.1:1", timeout=5) as env:
            with self.assertRaises(IncidentEnvError) as caught:
                env.health()
            self.assertEqual(caught.exception.code, grpc.StatusCode.UNAVAILABLE)


class ApiKeys(unittest.TestCase):
    """Against the second server of the test, which requires API keys."""

    def setUp(self):
        self.url = os.environ.get("INCIDENT_ENV_KEYED_URL")
        self.key = os.environ.get("INCIDENT_ENV_TEST_KEY")
        if not self.url or not self.key:
            raise unittest.SkipTest("INCIDENT_ENV_KEYED_URL / INCIDENT_ENV_TEST_KEY not set")

    def test_the_key_goes_with_every_call(self):
        with IncidentEnv(self.url, api_key=self.key) as env:
            observation, _ = env.reset("easy", seed=4)
            env.step(Inspect(observation.alert.affected_services[0]))
            self.assertEqual(env.state().step_count, 1)
            self.assertTrue(env.step(Resolve()).done)
            # Streams carry it too: the finished episode's log, then the end.
            self.assertGreater(len(list(env.logs(timeout=10))), 0)

    def test_the_key_from_the_environment_and_its_absence(self):
        previous = os.environ.get("INCIDENT_ENV_API_KEY")
        try:
            os.environ.pop("INCIDENT_ENV_API_KEY", None)
            with IncidentEnv(self.url) as env:
                with self.assertRaises(IncidentEnvError) as caught:
                    env.reset("easy")
                self.assertEqual(caught.exception.code, grpc.StatusCode.UNAUTHENTICATED)
            os.environ["INCIDENT_ENV_API_KEY"] = self.key
            with IncidentEnv(self.url) as env:
                env.reset("easy")
                self.assertEqual(env.state().step_count, 0)
        finally:
            os.environ.pop("INCIDENT_ENV_API_KEY", None)
            if previous is not None:
                os.environ["INCIDENT_ENV_API_KEY"] = previous


if __name__ == "__main__":
    unittest.main()
