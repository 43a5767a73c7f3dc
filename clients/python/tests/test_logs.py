"""Log streaming (StreamLogs) as an iterator."""
import threading
import time
import unittest

import grpc
from support import server_url

from incident_env import IncidentEnv, IncidentEnvError, Inspect, Resolve
from incident_env.proto.incident.v1 import enums_pb2, telemetry_pb2


class Logs(unittest.TestCase):
    def test_follows_the_episode_while_it_is_played_and_ends_with_it(self):
        with IncidentEnv(server_url()) as env:
            observation, _ = env.reset("easy", seed=21)
            stream = env.logs(timeout=60)
            seen = []
            follower = threading.Thread(target=lambda: seen.extend(stream), daemon=True)
            follower.start()
            env.step(Inspect(observation.alert.affected_services[0]))
            env.step(Resolve())
            follower.join(timeout=20)
            self.assertFalse(follower.is_alive(), "the stream did not end with the episode")
            self.assertTrue(all(isinstance(entry, telemetry_pb2.LogEntry) for entry in seen))
            seqs = [entry.seq for entry in seen]
            self.assertEqual(seqs, sorted(seqs))
            self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(seqs))))
            self.assertEqual(stream.gaps, [])
            # Resuming after a seq gives the rest, filters apply.
            rest = list(env.logs(after_seq=seqs[-5]))
            self.assertEqual([e.seq for e in rest], seqs[-4:])
            errors = list(env.logs(min_level="error"))
            self.assertTrue(all(e.level >= enums_pb2.LOG_LEVEL_ERROR for e in errors))

    def test_cancel_stops_a_live_stream(self):
        with IncidentEnv(server_url()) as env:
            env.reset("easy", seed=22)
            stream = env.logs()
            threading.Timer(0.5, stream.cancel).start()
            started = time.monotonic()
            count = sum(1 for _ in stream)
            self.assertGreater(count, 0)
            self.assertLess(time.monotonic() - started, 15)

    def test_an_unknown_episode_fails_on_iteration(self):
        with IncidentEnv(server_url()) as env:
            with self.assertRaises(IncidentEnvError) as caught:
                next(iter(env.logs(episode_id="py-no-such-episode")))
            self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)


if __name__ == "__main__":
    unittest.main()
