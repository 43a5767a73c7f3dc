/**
 * Plays one episode of every task level over gRPC with the generated TypeScript client and a
 * simple policy (no heuristic, no model): inspect the paging service, follow the failing
 * dependency downstream, diagnose the last service whose own calls are healthy, and for medium
 * and hard write a short runbook or postmortem about it.
 *
 *   npx tsx examples/ts/play.ts http://127.0.0.1:7860 [grpc|connect|grpc-web]
 */
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { ActionType, Severity, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ActionSchema } from "../../gen/incident/v1/action_pb.js";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:7860";
const protocol = process.argv[3] ?? "grpc";
const transport =
  protocol === "connect"
    ? createConnectTransport({ baseUrl, httpVersion: "1.1" })
    : protocol === "grpc-web"
      ? createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })
      : createGrpcTransport({ baseUrl });
const client: Client<typeof IncidentEnvService> = createClient(IncidentEnvService, transport);

/** The simple policy: remembers which services it inspected. */
function simplePolicy() {
  const inspected: string[] = [];
  let suspect: string | undefined;
  let wrote = false;
  return (o: Observation): MessageInitShape<typeof ActionSchema> => {
    if (suspect === undefined) {
      const last = o.inspection;
      const failing = last?.dependencies.filter((d) => d.errorRate > 5).sort((a, b) => b.errorRate - a.errorRate)[0];
      const next = !last ? o.alert?.affectedServices[0] : failing && !inspected.includes(failing.callee) ? failing.callee : undefined;
      if (next !== undefined && inspected.length < 4) {
        inspected.push(next);
        return { actionType: ActionType.INSPECT, targetService: next, reasoning: "follow the errors" };
      }
      suspect = inspected[inspected.length - 1] ?? o.alert?.affectedServices[0] ?? "unknown";
      return { actionType: ActionType.DIAGNOSE, targetService: suspect, reasoning: `${suspect} fails while its dependencies are healthy` };
    }
    if (o.taskLevel === TaskLevel.MEDIUM && !wrote) {
      wrote = true;
      return {
        actionType: ActionType.WRITE_RUNBOOK,
        targetService: suspect,
        runbookSteps: [
          `Check the error logs and metrics of ${suspect}.`,
          `Mitigate the failure on ${suspect}.`,
          `Verify that the error rate drops back to baseline.`,
          "Escalate to the owning team if it does not recover.",
        ],
      };
    }
    if (o.taskLevel === TaskLevel.HARD && !wrote) {
      wrote = true;
      return {
        actionType: ActionType.WRITE_POSTMORTEM,
        targetService: suspect,
        severityAssessment: Severity.P2,
        postmortemSections: {
          summary: `${suspect} failed and its callers returned errors.`,
          rootCause: `The failure started in ${suspect}.`,
          timeline: "The alert fired and on-call was paged.",
          impact: `${o.alert?.affectedServices.join(", ")} returned errors.`,
          actionItems: "Add alerting on the failing dependency.",
        },
      };
    }
    return { actionType: ActionType.RESOLVE, reasoning: "done" };
  };
}

async function playOne(level: TaskLevel, seed: number): Promise<number> {
  const reset = await client.reset({ taskLevel: level, seed });
  const policy = simplePolicy();
  let observation = reset.observation;
  let steps = 0;
  for (let done = false; !done && observation; steps++) {
    const action = policy(observation);
    const step = await client.step({ episodeId: reset.episodeId, action });
    console.log(
      `  step ${steps + 1}: ${ActionType[action.actionType ?? 0]?.toLowerCase()} ${action.targetService ?? ""} -> reward ${step.reward.toFixed(3)}`,
    );
    observation = step.observation;
    done = step.done;
  }
  const { state } = await client.getState({ episodeId: reset.episodeId });
  await client.closeEpisode({ episodeId: reset.episodeId });
  return state?.totalReward ?? 0;
}

const health = await client.health({});
console.log(`connected to ${health.environment} ${health.version} over ${protocol}`);
for (const [name, level] of [
  ["easy", TaskLevel.EASY],
  ["medium", TaskLevel.MEDIUM],
  ["hard", TaskLevel.HARD],
] as const) {
  console.log(`${name}:`);
  const score = await playOne(level, 7);
  console.log(`${name} score=${score.toFixed(3)}`);
}
