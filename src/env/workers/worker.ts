/**
 * A simulation worker: one IncidentEnvironment in a worker thread, answering the server thread's
 * requests (src/env/workers/protocol.ts). The server thread keeps the directory of episodes (which
 * worker holds which, capacity, idle eviction, the default episode); a worker only runs them, so
 * its own store has no capacity limit and never evicts by itself.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { parentPort, workerData } from "node:worker_threads";
import type { StreamName, WireFormat } from "../api.js";
import { IncidentEnvironment } from "../environment.js";
import { asEnvError, type EnvError } from "../errors.js";
import { toRestJson } from "../rest-json.js";
import { STREAM_CALLS, UNARY_CALLS, type EncodedOutcome, type FromWorker, type ToWorker, type UnaryCall, type WireError, type WireOutcome, type WorkerSetup } from "./protocol.js";

/** Most items one pull returns: a stream that has many waiting hands them over in slices. */
const MAX_ITEMS_PER_PULL = 256;

const port = parentPort;
if (!port) throw new Error("src/env/workers/worker.ts runs in a worker thread");
const setup = workerData as WorkerSetup;
const env = new IncidentEnvironment({
  limits: { ...setup.limits, maxLiveEpisodes: Number.MAX_SAFE_INTEGER, episodeIdleTtlMs: Number.MAX_SAFE_INTEGER },
  streamLimits: setup.streamLimits,
});

interface OpenStream {
  iterator: AsyncIterator<Uint8Array>;
  abort: AbortController;
  /** A next() that did not resolve before the last pull answered: the next pull waits on it. */
  pending: Promise<IteratorResult<Uint8Array>> | undefined;
  lastSeq: number | undefined;
}
const streams = new Map<number, OpenStream>();

function send(message: FromWorker): void {
  port?.postMessage(message);
}

function wireError(error: EnvError): WireError {
  return { kind: error.kind, message: error.message, violations: [...error.violations] };
}


const C = UNARY_CALLS;
/** Each unary call: the request decoded, the environment's answer encoded. */
const UNARY: { readonly [M in UnaryCall]: (payload: Uint8Array) => Uint8Array } = {
  reset: (p) => toBinary(C.reset.response, env.reset(fromBinary(C.reset.request, p))),
  step: (p) => toBinary(C.step.response, env.step(fromBinary(C.step.request, p))),
  getObservation: (p) => toBinary(C.getObservation.response, env.getObservation(fromBinary(C.getObservation.request, p))),
  getState: (p) => toBinary(C.getState.response, env.getState(fromBinary(C.getState.request, p))),
  closeEpisode: (p) => toBinary(C.closeEpisode.response, env.closeEpisode(fromBinary(C.closeEpisode.request, p))),
};

function unary(method: UnaryCall, payload: Uint8Array): WireOutcome {
  try {
    return { ok: true, payload: UNARY[method](payload) };
  } catch (error) {
    return { ok: false, error: wireError(asEnvError(error)) };
  }
}

/** A reset or step answered in the form the transport sends. */
function encodedCall(method: "reset" | "step", format: WireFormat, payload: Uint8Array): EncodedOutcome {
  try {
    if (method === "reset") {
      const response = env.reset(fromBinary(C.reset.request, payload));
      const body = format === "binary" ? toBinary(C.reset.response, response) : JSON.stringify(toRestJson(C.reset.response, response));
      return { ok: true, body, done: response.done };
    }
    const response = env.step(fromBinary(C.step.request, payload));
    const body = format === "binary" ? toBinary(C.step.response, response) : JSON.stringify(toRestJson(C.step.response, response));
    return { ok: true, body, done: response.done };
  } catch (error) {
    return { ok: false, error: wireError(asEnvError(error)) };
  }
}

/** A batch's share: each item answered on its own, in order. */
function many(method: "reset" | "step", format: WireFormat, payloads: readonly Uint8Array[]): EncodedOutcome[] {
  return payloads.map((payload) => encodedCall(method, format, payload));
}

/** Opens a journal stream; its items are encoded as they are taken, so the stall watchdog sees the server thread's pace. */
function open(id: number, name: StreamName, payload: Uint8Array): void {
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
    const source = env.streamLogs(fromBinary(STREAM_CALLS.logs.request, payload), options);
    items = (async function* () {
      for await (const item of source) yield toBinary(STREAM_CALLS.logs.item, item);
    })();
  } else {
    const source = env.streamEpisodeEvents(fromBinary(STREAM_CALLS.events.request, payload), options);
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
      send({ type: "outcome", call: message.call, outcome: unary(message.method, message.payload) });
      return;
    case "many":
      send({ type: "outcomes", call: message.call, outcomes: many(message.method, message.format, message.payloads) });
      return;
    case "encoded":
      send({ type: "encodedOutcome", call: message.call, outcome: encodedCall(message.method, message.format, message.payload) });
      return;
    case "streamIsOver":
      try {
        send({ type: "value", call: message.call, value: env.streamIsOver(message.episodeId, message.stream, message.afterSeq) });
      } catch (error) {
        send({ type: "failed", call: message.call, error: wireError(asEnvError(error)) });
      }
      return;
    case "open":
      try {
        open(message.stream, message.name, message.payload);
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
        env.closeEpisode({ $typeName: "incident.v1.CloseEpisodeRequest", episodeId: message.episodeId });
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
  }
}

port.on("message", (message: ToWorker) => {
  void handle(message);
});
