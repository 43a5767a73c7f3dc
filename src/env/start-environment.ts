/**
 * Chooses where episodes live from the server's settings:
 * - WORKERS (default: the machine's cores, os.availableParallelism()): with 2 or more, episodes
 *   are simulated in that many worker threads (src/env/workers/pool.ts); with 1, in the server's
 *   own thread, as an IncidentEnvironment.
 * - the limits of src/env/limits.ts.
 */
import { availableParallelism } from "node:os";
import type { EnvironmentApi } from "./api.js";
import { IncidentEnvironment } from "./environment.js";
import { limitsFromEnv, streamLimitsFromEnv, type Limits, type StreamLimits } from "./limits.js";
import { WorkerPool } from "./workers/pool.js";

export interface EnvironmentSettings {
  /** Simulation threads; 1 simulates in the server's thread. */
  workers: number;
  limits: Limits;
  streamLimits: StreamLimits;
}

/** Most worker threads WORKERS may ask for. */
export const MAX_WORKERS = 256;

function workersFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.WORKERS;
  if (raw === undefined || raw.trim() === "") return availableParallelism();
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_WORKERS) throw new Error(`WORKERS must be an integer from 1 to ${MAX_WORKERS}, got "${raw}"`);
  return value;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): EnvironmentSettings {
  return { workers: workersFromEnv(env), limits: limitsFromEnv(env), streamLimits: streamLimitsFromEnv(env) };
}

/** The environment the settings describe, started (worker threads running). */
export async function startEnvironment(settings: EnvironmentSettings): Promise<EnvironmentApi> {
  if (settings.workers <= 1) return new IncidentEnvironment({ limits: settings.limits, streamLimits: settings.streamLimits });
  return WorkerPool.start({ workers: settings.workers, limits: settings.limits, streamLimits: settings.streamLimits });
}
