/**
 * A simulation worker: an environment in a worker thread, answering the server thread's requests
 * (src/env/workers/protocol.ts).
 * - Episodes in memory: one IncidentEnvironment. The server thread keeps the directory of
 *   episodes (which worker holds which, capacity, idle eviction, the default episode); a worker
 *   only runs them, so its own store has no capacity limit and never evicts by itself.
 * - With a shared store (EPISODE_STORE): a SharedStoreEnvironment, a replica like any other
 *   server process; the store keeps capacity, eviction and the default episode for all of them.
 * Messages that arrive before the environment is ready wait for it.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { parentPort, workerData } from "node:worker_threads";
import { HealthResponseSchema, ListEpisodesResponseSchema } from "../../../gen/incident/v1/service_pb.js";
import type { EnvironmentApi, StateTextEnvironment, StreamName, WireFormat } from "../api.js";
import { IncidentEnvironment } from "../environment.js";
import { asEnvError, type EnvError } from "../errors.js";
import { encodeAs, transferables } from "../wire-forms.js";
import { SharedStoreEnvironment } from "../shared-store/environment.js";
import {
  STREAM_CALLS,
  UNARY_CALLS,
  type EncodedOutcome,
  type FromWorker,
  type ToWorker,
  type UnaryCall,
  type WireError,
  type WireOutcome,
  type WorkerSetup,
} from "./protocol.js";

/** Most items one pull returns: a stream that has many waiting hands them over in slices. */
const MAX_ITEMS_PER_PULL = 256;

/** What a worker runs: either environment, with the count of an episode's open streams. */
type WorkerEnvironment = EnvironmentApi & StateTextEnvironment & { streamsOf(episodeId: string): number };

const port = parentPort;
if (!port) throw new Error("src/env/workers/worker.ts runs in a worker thread");
const setup = workerData as WorkerSetup;

function startEnvironment(): Promise<WorkerEnvironment> {
  if (setup.store !== undefined) {
    return SharedStoreEnvironment.start({
      store: setup.store,
      limits: setup.limits,
      streamLimits: setup.streamLimits,
      ...(setup.storeLimits !== undefined ? { storeLimits: setup.storeLimits } : {}),
    });
  }
  return Promise.resolve(
    new IncidentEnvironment({
      limits: { ...setup.limits, maxLiveEpisodes: Number.MAX_SAFE_INTEGER, episodeIdleTtlMs: Number.MAX_SAFE_INTEGER },
      streamLimits: setup.streamLimits,
    }),
  );
}

/** Set once the environment is ready; handle() only runs after that. */
let env: WorkerEnvironment;

interface OpenStream {
  iterator: AsyncIterator<Uint8Array>;
  abort: AbortController;
  /** A next() that did not resolve before the last pull answered: the next pull waits on it. */
  pending: Promise<IteratorResult<Uint8Array>> | undefined;
  lastSeq: number | undefined;
}
const streams = new Map<number, OpenStream>();

/** Posts a message; the buffers in `transfer` move to the server thread (this thread must not touch them after). */
function send(message: FromWorker, transfer: readonly ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function wireError(error: EnvError): WireError {
  return { kind: error.kind, message: error.message, violations: [...error.violations] };
}

const C = UNARY_CALLS;
/** Each unary call: the request decoded, the environment's answer encoded. */
const UNARY: { readonly [M in UnaryCall]: (payload: Uint8Array) => Promise<Uint8Array> } = {
  reset: async (p) => toBinary(C.reset.response, await env.reset(fromBinary(C.reset.request, p))),
  step: async (p) => toBinary(C.step.response, await env.step(fromBinary(C.step.request, p))),
  getObservation: async (p) => toBinary(C.getObservation.response, await env.getObservation(fromBinary(C.getObservation.request, p))),
  getState: async (p) => toBinary(C.getState.response, await env.getState(fromBinary(C.getState.request, p))),
  closeEpisode: async (p) => toBinary(C.closeEpisode.response, await env.closeEpisode(fromBinary(C.closeEpisode.request, p))),
};

async function unary(method: UnaryCall, payload: Uint8Array): Promise<WireOutcome> {
  try {
    return { ok: true, payload: await UNARY[method](payload) };
  } catch (error) {
    return { ok: false, error: wireError(asEnvError(error)) };
  }
}

/** A reset or step answered in the form the transport sends. */
async function encodedCall(method: "reset" | "step", format: WireFormat, payload: Uint8Array): Promise<EncodedOutcome> {
  try {
    if (method === "reset") {
      const response = await env.reset(fromBinary(C.reset.request, payload));
      return { ok: true, body: encodeAs(C.reset.response, response, format), done: response.done };
    }
    const response = await env.step(fromBinary(C.step.request, payload));
    return { ok: true, body: encodeAs(C.step.response, response, format), done: response.done };
  } catch (error) {
    return { ok: false, error: wireError(asEnvError(error)) };
  }
}

function bodyOf(outcome: EncodedOutcome): unknown {
  return outcome.ok ? outcome.body : undefined;
}

/** A batch's share: each item answered on its own (a batch never names one episode twice), in order. */
function many(method: "reset" | "step", format: WireFormat, payloads: readonly Uint8Array[]): Promise<EncodedOutcome[]> {
  return Promise.all(payloads.map((payload) => encodedCall(method, format, payload)));
}

/** Opens a journal stream; its items are encoded as they are taken, so the stall watchdog sees the server thread's pace. */
async function open(id: number, name: StreamName, payload: Uint8Array): Promise<void> {
  const abort = new AbortController();
  const state: OpenStream = { iterator: undefined as unknown as AsyncIterator<Uint8Array>, abort, pending: undefined, lastSeq: undefined };
  const options = {
    signal: abort.signal,
    onStall: () => send({ type: "stalled", stream: id }),
    onEnd: (lastSeq: number) => {
      state.lastSeq = lastSeq;
    },
  };
  let items: AsyncIterable<Uint8Array>;
  if (name === "logs") {
    const source = await env.streamLogs(fromBinary(STREAM_CALLS.logs.request, payload), options);
    items = (async function* () {
      for await (const item of source) yield toBinary(STREAM_CALLS.logs.item, item);
    })();
  } else {
    const source = await env.streamEpisodeEvents(fromBinary(STREAM_CALLS.events.request, payload), options);
    items = (async function* () {
      for await (const item of source) yield toBinary(STREAM_CALLS.events.item, item);
    })();
  }
  state.iterator = items[Symbol.asyncIterator]();
  streams.set(id, state);
}

const NOT_YET = Symbol("not yet");

/** The items of a stream that are ready: waits for the first, then takes those that follow without waiting. */
async function pull(id: number): Promise<{ items: Uint8Array[]; done: boolean; lastSeq?: number }> {
  const state = streams.get(id);
  if (!state) return { items: [], done: true };
  const items: Uint8Array[] = [];
  let result = await (state.pending ?? state.iterator.next());
  state.pending = undefined;
  while (!result.done) {
    items.push(result.value);
    if (items.length >= MAX_ITEMS_PER_PULL) break;
    const next = state.iterator.next();
    const ready = await Promise.race([next, new Promise<typeof NOT_YET>((resolve) => setImmediate(() => resolve(NOT_YET)))]);
    if (ready === NOT_YET) {
      state.pending = next;
      break;
    }
    result = ready;
  }
  if (result.done) streams.delete(id);
  return { items, done: result.done === true, ...(result.done && state.lastSeq !== undefined ? { lastSeq: state.lastSeq } : {}) };
}

function cancel(id: number): void {
  const state = streams.get(id);
  if (!state) return;
  streams.delete(id);
  state.abort.abort();
  void state.iterator.return?.();
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "unary":
      send({ type: "outcome", call: message.call, outcome: await unary(message.method, message.payload) });
      return;
    case "many": {
      const outcomes = await many(message.method, message.format, message.payloads);
      send({ type: "outcomes", call: message.call, outcomes }, transferables(message.format, outcomes.map(bodyOf)));
      return;
    }
    case "encoded": {
      const outcome = await encodedCall(message.method, message.format, message.payload);
      send({ type: "encodedOutcome", call: message.call, outcome }, transferables(message.format, [bodyOf(outcome)]));
      return;
    }
    case "streamIsOver":
      try {
        send({ type: "value", call: message.call, value: await env.streamIsOver(message.episodeId, message.stream, message.afterSeq) });
      } catch (error) {
        send({ type: "failed", call: message.call, error: wireError(asEnvError(error)) });
      }
      return;
    case "stateText":
      try {
        send({ type: "value", call: message.call, value: await env.stateText(fromBinary(C.getState.request, message.payload)) });
      } catch (error) {
        send({ type: "failed", call: message.call, error: wireError(asEnvError(error)) });
      }
      return;
    case "open":
      try {
        await open(message.stream, message.name, message.payload);
        send({ type: "value", call: message.call, value: true });
      } catch (error) {
        send({ type: "failed", call: message.call, error: wireError(asEnvError(error)) });
      }
      return;
    case "pull":
      try {
        send({ type: "items", call: message.call, ...(await pull(message.stream)) });
      } catch (error) {
        streams.delete(message.stream);
        send({ type: "failed", call: message.call, error: wireError(asEnvError(error)) });
      }
      return;
    case "cancel":
      cancel(message.stream);
      return;
    case "evict":
      try {
        await env.closeEpisode({ $typeName: "incident.v1.CloseEpisodeRequest", episodeId: message.episodeId });
      } catch {
        // already gone
      }
      return;
    case "streamCount":
      try {
        send({ type: "value", call: message.call, value: env.streamsOf(message.episodeId) });
      } catch {
        send({ type: "value", call: message.call, value: 0 });
      }
      return;
    case "health":
      try {
        send({ type: "outcome", call: message.call, outcome: { ok: true, payload: toBinary(HealthResponseSchema, await env.health()) } });
      } catch (error) {
        send({ type: "outcome", call: message.call, outcome: { ok: false, error: wireError(asEnvError(error)) } });
      }
      return;
    case "list":
      try {
        const page = await env.listEpisodes({ idPrefix: message.idPrefix, limit: message.limit });
        send({ type: "outcome", call: message.call, outcome: { ok: true, payload: toBinary(ListEpisodesResponseSchema, page) } });
      } catch (error) {
        send({ type: "outcome", call: message.call, outcome: { ok: false, error: wireError(asEnvError(error)) } });
      }
      return;
    case "sweep":
      try {
        send({ type: "value", call: message.call, value: await env.sweep() });
      } catch {
        send({ type: "value", call: message.call, value: 0 });
      }
      return;
    default: {
      const unknown: never = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
}

/** Messages that arrived before the environment was ready, answered in order once it is. */
let waiting: ToWorker[] | undefined = [];
port.on("message", (message: ToWorker) => {
  if (waiting) waiting.push(message);
  else void handle(message);
});
startEnvironment().then(
  (started) => {
    env = started;
    send({ type: "ready" });
    const queued = waiting ?? [];
    waiting = undefined;
    for (const message of queued) void handle(message);
  },
  (error: unknown) => send({ type: "startFailed", message: error instanceof Error ? error.message : String(error) }),
);
