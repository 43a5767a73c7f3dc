"""The asyncio client: the same flows with await."""
import asyncio
import unittest

import grpc
from support import EASY_FAULT, EASY_ROOT, EASY_SCENARIO, server_url

from incident_env import (
    AsyncIncidentEnv,
    AsyncIncidentEnvBatch,
    Diagnose,
    IncidentEnvError,
    Inspect,
    Resolve,
)


class Async(unittest.IsolatedAsyncioTestCase):
    async def test_an_episode_to_its_end_while_following_its_logs(self):
        async with AsyncIncidentEnv(server_url()) as env:
            observation, info = await env.reset("easy", scenario_id=EASY_SCENARIO, seed=12)
            self.assertEqual(info["episode_id"], env.episode_id)
            stream = env.logs(timeout=60)

            async def follow():
                return [entry async for entry in stream]

            follower = asyncio.ensure_future(follow())
            observation, reward, terminated, truncated, _ = await env.step(Inspect(EASY_ROOT))
            self.assertEqual((reward, terminated, truncated), (0.0, False, False))
            observation, reward, terminated, truncated, info = await env.step(Diagnose(EASY_ROOT, EASY_FAULT))
            self.assertTrue(terminated)
            self.assertGreater(reward, 0.7)
            self.assertEqual(info["status"], "terminated_success")
            entries = await asyncio.wait_for(follower, 20)
            self.assertGreater(len(entries), 0)
            self.assertEqual((await env.state()).step_count, 2)
            self.assertTrue((await env.observation()).HasField("topology"))
            episode_id = env.episode_id
        async with AsyncIncidentEnv(server_url()) as other:
            with self.assertRaises(IncidentEnvError) as caught:
                await other.state(episode_id=episode_id)
            self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)

    async def test_errors_and_cancel(self):
        async with AsyncIncidentEnv(server_url()) as env:
            with self.assertRaises(IncidentEnvError) as caught:
                await env.step(Resolve(), episode_id="py-async-missing")
            self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)
            await env.reset("easy")
            with self.assertRaises(IncidentEnvError) as caught:
                await env.step(Inspect("x" * 200))
            self.assertEqual(caught.exception.violations[0].rule, "string.max_len")
            stream = env.logs()
            first = await stream.__anext__()
            self.assertGreater(first.seq, 0)
            stream.cancel()
            self.assertEqual([entry async for entry in stream], [])

    async def test_a_batch(self):
        async with AsyncIncidentEnvBatch(server_url()) as batch:
            resets = await batch.reset(count=3, task_level="easy")
            steps = await batch.step([Inspect(r.observation.alert.affected_services[0]) for r in resets])
            self.assertEqual([s.info["status"] for s in steps], ["running"] * 3)
            ends = await batch.step([Resolve(), Resolve(), Inspect("x" * 200)], return_exceptions=True)
            self.assertTrue(ends[0].done and ends[1].done)
            self.assertIsInstance(ends[2], IncidentEnvError)
            self.assertEqual([s.step_count for s in await batch.states()], [2, 2, 1])


if __name__ == "__main__":
    unittest.main()
