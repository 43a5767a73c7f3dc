/**
 * Chooses where episodes live from the server's settings:
 * - EPISODE_STORE=redis://host:port[/db] (Valkey or Redis): episodes live in that store, shared by
 *   every replica pointed at it (src/env/shared-store); EPISODE_STORE_PREFIX namespaces the keys
 *   (default "ire"), REPLICA_CACHE_EPISODES and EPISODE_STORE_TIMEOUT_MS tune the replica.
 * - WORKERS (default: the machine's cores, os.availableParallelism()): with 2 or more, episodes
 *   are simulated in that many worker threads (src/env/workers/pool.ts), each a replica of the
 *   shared store when there is one (the replica cache is split between them); with 1, in the
 *   server's own thread.
 * - the limits of src/env/limits.ts.
 */
import { availableParallelism } from "node:os";
import type { EnvironmentApi } from "./api.js";
import { IncidentEnvironment } from "./environment.js";
import {
  DEFAULT_SHARED_STORE_LIMITS,
  limitsFromEnv,
  sharedStoreLimitsFromEnv,
  streamLimitsFromEnv,
  type Limits,
  type SharedStoreLimits,
  type StreamLimits,
} from "./limits.js";
import { SharedStoreEnvironment } from "./shared-store/environment.js";
import { sharedStoreFromEnv, type SharedStoreSettings } from "./shared-store/settings.js";
import { WorkerPool } from "./workers/pool.js";

interface EnvironmentSettings {
  /** Simulation threads; 1 simulates in the server's thread. */
  workers: number;
  limits: Limits;
  streamLimits: StreamLimits;
  /** The shared episode store (EPISODE_STORE); undefined keeps episodes in this process's memory. */
  store?: SharedStoreSettings;
  storeLimits?: SharedStoreLimits;
}

/** Most worker threads WORKERS may ask for. */
export const MAX_WORKERS = 256;

function workersFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.WORKERS;
  if (raw === undefined || raw.trim() === "") return availableParallelism();
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_WORKERS)
    throw new Error(`WORKERS must be an integer from 1 to ${MAX_WORKERS}, got "${raw}"`);
  return value;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): EnvironmentSettings {
  const workers = workersFromEnv(env);
  const limits = limitsFromEnv(env);
  const streamLimits = streamLimitsFromEnv(env);
  const store = sharedStoreFromEnv(env);
  if (store === undefined) return { workers, limits, streamLimits };
  return { workers, limits, streamLimits, store, storeLimits: sharedStoreLimitsFromEnv(env) };
}

/** The environment the settings describe, started (worker threads running, or the store connected). */
export async function startEnvironment(settings: EnvironmentSettings): Promise<EnvironmentApi> {
  if (settings.store !== undefined && settings.workers > 1) {
    const storeLimits = settings.storeLimits ?? DEFAULT_SHARED_STORE_LIMITS;
    return WorkerPool.start({
      workers: settings.workers,
      limits: settings.limits,
      streamLimits: settings.streamLimits,
      store: settings.store,
      // REPLICA_CACHE_EPISODES bounds the process: each worker's cache holds its share.
      storeLimits: { ...storeLimits, replicaCacheEpisodes: Math.max(1, Math.ceil(storeLimits.replicaCacheEpisodes / settings.workers)) },
    });
  }
  if (settings.store !== undefined) {
    return SharedStoreEnvironment.start({
      store: settings.store,
      limits: settings.limits,
      streamLimits: settings.streamLimits,
      ...(settings.storeLimits !== undefined ? { storeLimits: settings.storeLimits } : {}),
    });
  }
  if (settings.workers <= 1) return new IncidentEnvironment({ limits: settings.limits, streamLimits: settings.streamLimits });
  return WorkerPool.start({ workers: settings.workers, limits: settings.limits, streamLimits: settings.streamLimits });
}
