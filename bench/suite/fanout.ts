/**
 * StreamLogs fan-out: `subscribers` gRPC streams on one episode, then steps one at a time. Each
 * log line's delivery time is its arrival at a subscriber minus the moment the step that wrote it
 * was sent; the next step waits until every subscriber has every line up to the newest one the
 * step's observation shows, so each line belongs to exactly one step. The subscribers all live in
 * the bench process, so its own work of receiving and decoding is part of the delivery time.
 */
import { setMaxListeners } from "node:events";
import { TaskLevel, ActionType } from "../../gen/incident/v1/enums_pb.js";
import { clientsFor, servicesOf, type EnvClient } from "./rpc.js";
import { freshSeed, targetOf } from "./episode-mix.js";
import { startServer } from "./processes.js";
import { sleep, summarize, type Summary } from "./stats.js";

export interface FanoutFigures {
  subscribers: number;
  steps: number;
  lines: number;
  delivery: Summary;
  workers: number;
}

/** HTTP/2 sessions the subscribers are spread over. */
const SESSIONS = 20;
const SETTLE_TIMEOUT_MS = 15_000;

export async function measureFanout(options: {
  env: Record<string, string>;
  subscribers: number;
  episodes: number;
  steps: number;
}): Promise<FanoutFigures> {
  const server = await startServer({ ...options.env, MAX_SUBSCRIBERS_PER_EPISODE: String(options.subscribers + 16) });
  const clients = clientsFor("grpc", server.baseUrl, SESSIONS);
  const stepper = clientsFor("grpc", server.baseUrl, 1)[0] as EnvClient;
  const samples: number[] = [];
  let lines = 0;
  let steps = 0;
  try {
    for (let e = 0; e < options.episodes; e++) {
      const episodeId = `fanout-${Date.now()}-${e}`;
      const reset = await stepper.reset({ taskLevel: TaskLevel.MEDIUM, seed: freshSeed(), episodeId });
      const services = servicesOf(reset);
      const lastSeq = new Array<number>(options.subscribers).fill(0);
      let ended = 0;
      let stepSentAt: number | undefined;
      let streamFailure: unknown;
      const abort = new AbortController();
      setMaxListeners(0, abort.signal); // one signal ends every subscriber's stream
      const streams = lastSeq.map(async (_, s) => {
        const client = clients[s % clients.length] as EnvClient;
        try {
          for await (const message of client.streamLogs({ episodeId }, { signal: abort.signal })) {
            if (!message.entry) continue;
            const now = performance.now();
            lastSeq[s] = message.entry.seq;
            if (stepSentAt !== undefined) {
              samples.push(now - stepSentAt);
              lines++;
            }
          }
        } catch (error) {
          // Kept, not thrown: a stream that fails while the row waits in settle() would otherwise be
          // a rejection nobody handles yet, which ends the whole run. settle() fails the row with it.
          if (!abort.signal.aborted) streamFailure ??= error;
        } finally {
          ended++;
        }
      });
      /** Resolves once every subscriber has line `seq`. */
      const settle = async (seq: number): Promise<void> => {
        const deadline = performance.now() + SETTLE_TIMEOUT_MS;
        while (performance.now() < deadline) {
          if (streamFailure !== undefined)
            throw new Error(`a subscriber's stream failed: ${String(streamFailure)}`, { cause: streamFailure });
          if (lastSeq.every((s) => s >= seq)) return;
          await sleep(2);
        }
        throw new Error(
          `subscribers did not get line ${seq} within ${SETTLE_TIMEOUT_MS} ms: ${lastSeq.filter((s) => s >= seq).length} of ${options.subscribers} did, ${ended} streams had ended`,
        );
      };
      const newest = (logs: readonly { seq: number }[] | undefined): number => Math.max(0, ...(logs ?? []).map((l) => l.seq));
      try {
        await settle(newest(reset.observation?.recentLogs)); // every subscriber connected and through the backlog of the reset
        for (let i = 0; i < options.steps; i++) {
          stepSentAt = performance.now();
          const step = await stepper.step({
            episodeId,
            action: { actionType: ActionType.INSPECT, targetService: targetOf(services, i), reasoning: "looking" },
          });
          await settle(newest(step.observation?.recentLogs));
          stepSentAt = undefined;
          steps++;
        }
      } finally {
        // A step that fails fails the row; the streams end first, so none is left to fail unheard
        // when the server stops (which used to end the whole run with an unhandled rejection).
        abort.abort();
        await Promise.allSettled(streams);
      }
      await stepper.closeEpisode({ episodeId });
    }
    return { subscribers: options.subscribers, steps, lines, delivery: summarize(samples), workers: server.workers };
  } finally {
    await server.stop();
  }
}
