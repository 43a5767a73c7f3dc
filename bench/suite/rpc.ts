/**
 * Episode rows over Connect and gRPC, driven by closed loops of @connectrpc/connect-node clients
 * over a few HTTP/2 sessions (or HTTP/1.1 connections for Connect JSON): unary Reset/Step,
 * ResetBatch/StepBatch at several batch sizes, and Interact sessions.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { ActionType, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import {
  IncidentEnvService,
  InteractRequestSchema,
  type InteractRequest,
  type InteractResponse,
  type ResetRequestSchema,
  type ResetResponse,
  type StepRequestSchema,
} from "../../gen/incident/v1/service_pb.js";
import { closedLoop, type ActorContext, type LoadSpec, type LoopFigures } from "./actors.js";
import { ACTORS, STEPS_PER_EPISODE, freshSeed, targetOf } from "./episode-mix.js";

export type EnvClient = Client<typeof IncidentEnvService>;

/** HTTP/2 sessions the actors of an h2 row share (round robin). */
const H2_SESSIONS = 4;

export type RpcProtocol = "connect-json" | "connect-binary" | "grpc";

function transportFor(protocol: RpcProtocol, baseUrl: string): Transport {
  switch (protocol) {
    case "connect-json":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false });
    case "connect-binary":
      return createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true });
    case "grpc":
      return createGrpcTransport({ baseUrl });
  }
}

/** One client per HTTP/2 session (Connect JSON over HTTP/1.1 needs one: its agent pools sockets). */
export function clientsFor(protocol: RpcProtocol, baseUrl: string, sessions = H2_SESSIONS): EnvClient[] {
  const count = protocol === "connect-json" ? 1 : sessions;
  return Array.from({ length: count }, () => createClient(IncidentEnvService, transportFor(protocol, baseUrl)));
}

export function servicesOf(reset: ResetResponse | undefined): string[] {
  return reset?.observation?.topology?.services.map((s) => s.name) ?? [];
}

const resetInit = (episodeId: string): MessageInitShape<typeof ResetRequestSchema> => ({
  taskLevel: TaskLevel.MEDIUM,
  seed: freshSeed(),
  episodeId,
});
const stepInit = (episodeId: string, services: readonly string[], i: number): MessageInitShape<typeof StepRequestSchema> => ({
  episodeId,
  action: { actionType: ActionType.INSPECT, targetService: targetOf(services, i), reasoning: "looking" },
});

/** Unary Reset and Step: ACTORS actors, each its own episode; steps per second. */
export async function measureUnary(protocol: RpcProtocol, baseUrl: string, spec: LoadSpec): Promise<LoopFigures> {
  const clients = clientsFor(protocol, baseUrl);
  const prefix = `${protocol}-${Date.now()}`;
  return closedLoop({ actors: ACTORS, ...spec }, async (ctx: ActorContext) => {
    const client = clients[ctx.actor % clients.length] as EnvClient;
    const id = `${prefix}-${ctx.actor}`;
    const services = servicesOf(await client.reset(resetInit(id)));
    for (let i = 0; i < STEPS_PER_EPISODE && ctx.running(); i++) {
      await client.step(stepInit(id, services, i));
      ctx.done(1);
    }
  });
}

/**
 * Concurrent batch callers at batch size `batch`: enough that about ACTORS episodes are in flight,
 * at least 2 (so that a server has a batch to take while it answers the other); a quick run plays
 * one caller at the largest size, whose rounds are long.
 */
export function batchCallers(batch: number, quick: boolean): number {
  if (quick && batch > ACTORS) return 1;
  return Math.max(2, Math.ceil(ACTORS / batch));
}

/** gRPC ResetBatch then StepBatch rounds of `batch` episodes per caller; env-steps per second. */
export async function measureStepBatch(baseUrl: string, batch: number, spec: LoadSpec & { callers: number }): Promise<LoopFigures> {
  const clients = clientsFor("grpc", baseUrl);
  const prefix = `batch${batch}-${Date.now()}`;
  return closedLoop({ actors: spec.callers, durationS: spec.durationS, warmupS: spec.warmupS }, async (ctx) => {
    const client = clients[ctx.actor % clients.length] as EnvClient;
    const ids = Array.from({ length: batch }, (_, i) => `${prefix}-${ctx.actor}-${i}`);
    const resets = await client.resetBatch({ items: ids.map(resetInit) });
    const services = resets.results.map((r) => (r.result.case === "response" ? servicesOf(r.result.value) : []));
    const failedResets = resets.results.find((r) => r.result.case === "error");
    if (failedResets?.result.case === "error")
      ctx.failed(new Error(`reset item: ${failedResets.result.value.code} ${failedResets.result.value.message}`));
    // A large batch's first round may outlast a short spell: in the measured spell it is finished,
    // so that its steps are counted (the spell then lasts as long as that round).
    for (let i = 0; i < STEPS_PER_EPISODE && (ctx.running() || (ctx.measured && ctx.round === 0)); i++) {
      const steps = await client.stepBatch({ items: ids.map((id, k) => stepInit(id, services[k] ?? [], i)) });
      let ok = 0;
      for (const r of steps.results) {
        if (r.result.case === "response") ok++;
        else if (r.result.case === "error") ctx.failed(new Error(`step item: ${r.result.value.code} ${r.result.value.message}`));
      }
      ctx.done(ok);
    }
  });
}

/**
 * A bidirectional Interact session driven one request at a time: `call` sends a request and
 * resolves with its response.
 */
export function openSession(client: EnvClient): {
  call(request: MessageInitShape<typeof InteractRequestSchema>): Promise<InteractResponse>;
  close(): void;
} {
  const waiting: ((request: InteractRequest | undefined) => void)[] = [];
  const queued: (InteractRequest | undefined)[] = [];
  const push = (request: InteractRequest | undefined): void => {
    const take = waiting.shift();
    if (take) take(request);
    else queued.push(request);
  };
  async function* requests(): AsyncGenerator<InteractRequest> {
    for (;;) {
      const next = queued.length > 0 ? queued.shift() : await new Promise<InteractRequest | undefined>((resolve) => waiting.push(resolve));
      if (next === undefined) return;
      yield next;
    }
  }
  const responses = client.interact(requests())[Symbol.asyncIterator]();
  let requestId = 0n;
  return {
    async call(request) {
      push(create(InteractRequestSchema, { ...request, requestId: ++requestId }));
      const next = await responses.next();
      if (next.done) throw new Error("the Interact stream ended");
      if (next.value.response.case === "error") throw new Error(`${next.value.response.value.code}: ${next.value.response.value.message}`);
      return next.value;
    },
    close: () => push(undefined),
  };
}

/** Interact over gRPC: ACTORS sessions, each playing its own episodes; steps per second. */
export async function measureInteract(baseUrl: string, spec: LoadSpec): Promise<LoopFigures> {
  const clients = clientsFor("grpc", baseUrl);
  const prefix = `interact-${Date.now()}`;
  const sessions = new Map<number, ReturnType<typeof openSession>>();
  try {
    return await closedLoop({ actors: ACTORS, ...spec }, async (ctx) => {
      let session = sessions.get(ctx.actor);
      if (!session) {
        session = openSession(clients[ctx.actor % clients.length] as EnvClient);
        sessions.set(ctx.actor, session);
      }
      const id = `${prefix}-${ctx.actor}`;
      try {
        const reset = await session.call({ request: { case: "reset", value: resetInit(id) } });
        const services = servicesOf(reset.response.case === "reset" ? reset.response.value : undefined);
        for (let i = 0; i < STEPS_PER_EPISODE && ctx.running(); i++) {
          await session.call({ request: { case: "step", value: stepInit(id, services, i) } });
          ctx.done(1);
        }
      } catch (error) {
        session.close();
        sessions.delete(ctx.actor); // a broken session is replaced
        throw error;
      }
    });
  } finally {
    for (const session of sessions.values()) session.close();
  }
}
