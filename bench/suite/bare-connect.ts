/**
 * The ceiling of the RPC rows: the project's own stack (fastify on h2c, @connectrpc/connect-fastify,
 * the generated service) answering Reset, Step, their batches and Interact with responses made once, from a real medium
 * episode, and no simulation at all. What gRPC unary reaches against it is what the transport and
 * the load generator allow on this machine; no environment behind the same stack can serve more.
 * Started by bench/suite/processes.ts; prints its address.
 */
import { create } from "@bufbuild/protobuf";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import Fastify from "fastify";
import { ActionType, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import { IncidentEnvService, ResetRequestSchema, StepRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../../src/env/environment.js";

const env = new IncidentEnvironment();
const reset = env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: 1, episodeId: "canned" }));
const target = reset.observation?.alert?.affectedServices[0] ?? "";
const step = env.step(
  create(StepRequestSchema, { episodeId: "canned", action: { actionType: ActionType.INSPECT, targetService: target } }),
);

const app = Fastify({ logger: false, http2: true });
await app.register(fastifyConnectPlugin, {
  routes: (router) =>
    router.service(IncidentEnvService, {
      reset: () => reset,
      step: () => step,
      resetBatch: (request) => ({ results: request.items.map(() => ({ result: { case: "response" as const, value: reset } })) }),
      stepBatch: (request) => ({ results: request.items.map(() => ({ result: { case: "response" as const, value: step } })) }),
      async *interact(requests) {
        for await (const request of requests) {
          yield request.request.case === "reset"
            ? { requestId: request.requestId, response: { case: "reset" as const, value: reset } }
            : { requestId: request.requestId, response: { case: "step" as const, value: step } };
        }
      },
    }),
});
const address = await app.listen({ port: 0, host: "127.0.0.1" });
console.log(`bare connect on ${address}`);

const stop = (): void => void app.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
