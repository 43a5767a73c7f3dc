#!/usr/bin/python3
"""A trainer-style loop over gRPC with stubs generated from the environment's protos.

For every task level it plays episodes with a simple policy (inspect the paging service, follow
the failing dependency downstream, diagnose the last service whose own calls are healthy, write a
short runbook or postmortem), streams the episode's log lines with StreamLogs on a second thread
while it steps, and prints each episode's score.

    examples/python/generate.sh                  # stubs into examples/python/gen
    /usr/bin/python3 examples/python/trainer.py 127.0.0.1:7860 [--episodes 2] [--seed 7]

Debian's python3-grpcio and python3-protobuf only load under /usr/bin/python3.
"""
import argparse
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("INCIDENT_PY_GEN", os.path.join(HERE, "gen")))

import grpc  # noqa: E402
from incident.v1 import action_pb2, enums_pb2, service_pb2, service_pb2_grpc  # noqa: E402

LEVELS = [("easy", enums_pb2.TASK_LEVEL_EASY), ("medium", enums_pb2.TASK_LEVEL_MEDIUM), ("hard", enums_pb2.TASK_LEVEL_HARD)]


class SimplePolicy:
    """No model, no heuristic: just enough to play a whole episode."""

    def __init__(self):
        self.inspected = []
        self.suspect = None
        self.wrote = False

    def act(self, obs):
        if self.suspect is None:
            last = obs.inspection if obs.HasField("inspection") else None
            failing = sorted((d for d in (last.dependencies if last else []) if d.error_rate > 5), key=lambda d: -d.error_rate)
            if last is None and obs.alert.affected_services:
                nxt = obs.alert.affected_services[0]
            elif failing and failing[0].callee not in self.inspected:
                nxt = failing[0].callee
            else:
                nxt = None
            if nxt is not None and len(self.inspected) < 4:
                self.inspected.append(nxt)
                return action_pb2.Action(action_type=enums_pb2.ACTION_TYPE_INSPECT, target_service=nxt, reasoning="follow the errors")
            self.suspect = self.inspected[-1] if self.inspected else "unknown"
            return action_pb2.Action(action_type=enums_pb2.ACTION_TYPE_DIAGNOSE, target_service=self.suspect, reasoning="its own calls are healthy")
        if obs.task_level == enums_pb2.TASK_LEVEL_MEDIUM and not self.wrote:
            self.wrote = True
            return action_pb2.Action(
                action_type=enums_pb2.ACTION_TYPE_WRITE_RUNBOOK,
                target_service=self.suspect,
                runbook_steps=[
                    f"Check the error logs and metrics of {self.suspect}.",
                    f"Mitigate the failure on {self.suspect}.",
                    "Verify that the error rate drops back to baseline.",
                    "Escalate to the owning team if it does not recover.",
                ],
            )
        if obs.task_level == enums_pb2.TASK_LEVEL_HARD and not self.wrote:
            self.wrote = True
            return action_pb2.Action(
                action_type=enums_pb2.ACTION_TYPE_WRITE_POSTMORTEM,
                target_service=self.suspect,
                severity_assessment=enums_pb2.SEVERITY_P2,
                postmortem_sections=action_pb2.PostmortemSections(
                    summary=f"{self.suspect} failed and its callers returned errors.",
                    root_cause=f"The failure started in {self.suspect}.",
                    timeline="The alert fired and on-call was paged.",
                    impact=", ".join(obs.alert.affected_services) + " returned errors.",
                    action_items="Add alerting on the failing dependency.",
                ),
            )
        return action_pb2.Action(action_type=enums_pb2.ACTION_TYPE_RESOLVE, reasoning="done")


def play(stub, name, level, seed, episode_id):
    reset = stub.Reset(service_pb2.ResetRequest(task_level=level, seed=seed, episode_id=episode_id), timeout=10)
    streamed = []

    def follow():
        # Every log line of the episode: those already printed, then each new one, until it ends.
        for message in stub.StreamLogs(service_pb2.StreamLogsRequest(episode_id=episode_id), timeout=60):
            streamed.append(message.entry)

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    policy = SimplePolicy()
    obs, done, steps, total = reset.observation, False, 0, 0.0
    while not done:
        step = stub.Step(service_pb2.StepRequest(episode_id=episode_id, action=policy.act(obs)), timeout=10)
        obs, done = step.observation, step.done
        steps += 1
        total += step.reward
    follower.join(timeout=15)
    state = stub.GetState(service_pb2.GetStateRequest(episode_id=episode_id), timeout=10).state
    stub.CloseEpisode(service_pb2.CloseEpisodeRequest(episode_id=episode_id), timeout=10)
    status = enums_pb2.EpisodeStatus.Name(state.status).replace("EPISODE_STATUS_", "").lower()
    print(f"{name} seed={seed} score={state.total_reward:.3f} steps={steps} status={status} streamed_log_lines={len(streamed)}", flush=True)
    return state, streamed, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", nargs="?", default="127.0.0.1:7860", help="host:port of the environment (gRPC over h2c)")
    parser.add_argument("--episodes", type=int, default=1, help="episodes per task level")
    parser.add_argument("--seed", type=int, default=7, help="first seed")
    args = parser.parse_args()

    failures = 0
    with grpc.insecure_channel(args.address) as channel:
        stub = service_pb2_grpc.IncidentEnvServiceStub(channel)
        health = stub.Health(service_pb2.HealthRequest(), timeout=10)
        print(f"connected to {health.environment} {health.version} over gRPC", flush=True)
        for name, level in LEVELS:
            scores = []
            for i in range(args.episodes):
                state, streamed, total = play(stub, name, level, args.seed + i, f"py-{name}-{os.getpid()}-{i}")
                scores.append(state.total_reward)
                if not state.done or not streamed or abs(total - state.total_reward) > 1e-6:
                    failures += 1
            print(f"{name} mean_score={sum(scores) / len(scores):.3f} episodes={len(scores)}", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
