/**
 * Memory of live episodes: a server process of its own opens `episodes` medium episodes (gRPC
 * ResetBatch, then 4 inspect steps each by StepBatch), and its resident set size is read from
 * /proc before and after. The difference over the count is the cost of one live episode.
 */
import { ActionType, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import { clientsFor, servicesOf, type EnvClient } from "./rpc.js";
import { freshSeed, targetOf } from "./episode-mix.js";
import { rssBytes, startServer } from "./processes.js";
import { sleep } from "./stats.js";

export interface MemoryFigures {
  episodes: number;
  baseRss: number;
  rss: number;
  bytesPerEpisode: number;
  workers: number;
}

const BATCH = 256;
const STEPS = 4;

/** The lowest of a few readings a moment apart (RSS jitters while the collector runs). */
async function settledRss(pid: number): Promise<number> {
  let low = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    await sleep(300);
    low = Math.min(low, rssBytes(pid));
  }
  return low;
}

async function open(clients: EnvClient[], ids: string[]): Promise<void> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH) chunks.push(ids.slice(i, i + BATCH));
  // Two calls in flight, so that a pool of workers has work on every thread.
  let next = 0;
  await Promise.all(
    clients.slice(0, 2).map(async (client) => {
      for (let c = next++; c < chunks.length; c = next++) {
        const chunk = chunks[c] ?? [];
        const resets = await client.resetBatch({
          items: chunk.map((episodeId) => ({ taskLevel: TaskLevel.MEDIUM, seed: freshSeed(), episodeId })),
        });
        const services = resets.results.map((r) => (r.result.case === "response" ? servicesOf(r.result.value) : []));
        const failed = resets.results.filter((r) => r.result.case === "error").length;
        if (failed > 0) throw new Error(`${failed} resets of a batch failed`);
        for (let s = 0; s < STEPS; s++) {
          await client.stepBatch({
            items: chunk.map((episodeId, k) => ({
              episodeId,
              action: { actionType: ActionType.INSPECT, targetService: targetOf(services[k] ?? [], s), reasoning: "looking" },
            })),
          });
        }
      }
    }),
  );
}

export async function measureMemory(options: { workers: string; episodes: number }): Promise<MemoryFigures> {
  const server = await startServer({ WORKERS: options.workers, MAX_LIVE_EPISODES: String(options.episodes + 2 * BATCH) });
  try {
    const clients = clientsFor("grpc", server.baseUrl, 2);
    // Warm-up: code loaded and compiled, then those episodes closed, before the baseline.
    const warm = Array.from({ length: Math.min(BATCH, Math.ceil(options.episodes / 4)) }, (_, i) => `warm-${i}`);
    await open(clients, warm);
    for (const episodeId of warm) await (clients[0] as EnvClient).closeEpisode({ episodeId });
    const baseRss = await settledRss(server.pid);
    await open(
      clients,
      Array.from({ length: options.episodes }, (_, i) => `mem-${i}`),
    );
    const rss = await settledRss(server.pid);
    return { episodes: options.episodes, baseRss, rss, bytesPerEpisode: (rss - baseRss) / options.episodes, workers: server.workers };
  } finally {
    await server.stop();
  }
}
