"""IncidentEnvBatch: many episodes per call over ResetBatch / StepBatch."""
import unittest

import grpc
from support import EASY_FAULT, EASY_ROOT, EASY_SCENARIO, server_url, unique_id

from incident_env import (
    Diagnose,
    IncidentEnv,
    IncidentEnvBatch,
    IncidentEnvError,
    Inspect,
    ResetResult,
    Resolve,
    StepResult,
)


class Batch(unittest.TestCase):
    def test_several_episodes_to_their_end(self):
        with IncidentEnvBatch(server_url()) as batch:
            resets = batch.reset([{"seed": seed} for seed in (1, 2, 3)] + [{"scenario_id": EASY_SCENARIO}], task_level="easy")
            self.assertEqual(len(batch), 4)
            self.assertTrue(all(isinstance(r, ResetResult) for r in resets))
            self.assertEqual(len(set(batch.episode_ids)), 4)
            self.assertEqual([r.info["seed"] for r in resets[:3]], [1, 2, 3])

            # The known scenario's root is inspected before it is named: the diagnosis then has its evidence.
            pages = [r.observation.alert.affected_services[0] for r in resets[:3]] + [EASY_ROOT]
            first = batch.step([Inspect(service) for service in pages])
            self.assertTrue(all(isinstance(r, StepResult) and not r.done for r in first))
            self.assertEqual([r.info["episode_id"] for r in first], batch.episode_ids)

            # None skips an episode; the others end.
            last = batch.step([Resolve(), Resolve(), None, Diagnose(EASY_ROOT, EASY_FAULT)])
            self.assertIsNone(last[2])
            self.assertTrue(last[0].done and last[1].done and last[3].terminated)
            self.assertGreater(last[3].reward, 0.7)
            states = batch.states()
            self.assertEqual([s.step_count for s in states], [2, 2, 1, 2])
            ids = list(batch.episode_ids)
        # Leaving the block closed every episode.
        with IncidentEnv(server_url()) as env:
            for episode_id in ids:
                with self.assertRaises(IncidentEnvError) as caught:
                    env.state(episode_id=episode_id)
                self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)

    def test_an_item_fails_alone(self):
        named = unique_id("py-batch")
        with IncidentEnvBatch(server_url()) as batch:
            results = batch.reset([{"episode_id": named}, {"episode_id": named}, {"task_level": "hard"}], return_exceptions=True)
            self.assertIsInstance(results[0], ResetResult)
            self.assertIsInstance(results[1], IncidentEnvError)  # two items may not name one episode
            self.assertEqual(results[1].code, grpc.StatusCode.INVALID_ARGUMENT)
            self.assertEqual(batch.episode_ids[0], named)
            self.assertIsNone(batch.episode_ids[1])
            with self.assertRaisesRegex(ValueError, "its reset failed"):
                batch.step([None, Resolve(), None])

            results = batch.step([Inspect("x" * 200), None, Resolve()], return_exceptions=True)
            self.assertEqual(results[0].code, grpc.StatusCode.INVALID_ARGUMENT)
            self.assertEqual(results[0].violations[0].field, "action.target_service")
            self.assertTrue(results[2].done)
            # Without return_exceptions the first failed item raises.
            with self.assertRaises(IncidentEnvError) as caught:
                batch.step([None, None, Resolve()])
            self.assertEqual(caught.exception.code, grpc.StatusCode.FAILED_PRECONDITION)

    def test_a_new_reset_replaces_the_episodes(self):
        with IncidentEnvBatch(server_url()) as batch:
            batch.reset(count=2, task_level="medium")
            old = list(batch.episode_ids)
            batch.reset(count=3)
            self.assertEqual(len(batch), 3)
            self.assertTrue(set(old).isdisjoint(batch.episode_ids))
            with IncidentEnv(server_url()) as env, self.assertRaises(IncidentEnvError):
                env.state(episode_id=old[0])
            with self.assertRaisesRegex(ValueError, "one action per episode"):
                batch.step([Resolve()])
            with self.assertRaisesRegex(ValueError, "not both"):
                batch.reset([{}], count=1)


if __name__ == "__main__":
    unittest.main()
