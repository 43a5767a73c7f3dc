/**
 * How far a heap may grow past what the last full collection kept before V8 collects again
 * (HEAP_GROWING_PERCENT, default 100: up to twice the live data), for the server process and
 * its simulation workers.
 *
 * Why: V8 sizes the next limit by a factor of its own, up to 4 for small heaps, meant for one
 * isolate per process. A server with simulation workers has one per core, each receiving a stream
 * of resets whose short-lived data its young generation promotes: a 2-worker server holding
 * 10,000 episodes showed 966 MiB of RSS right after opening them (with 8 MiB young generations),
 * and 577 MiB half a minute later, once V8's memory reducer had run.
 *
 * The factor trades memory for the collector's time. Measured 2026-12-03 (20:30 UTC) with three
 * warm 2-worker servers side by side, the bench's rows alternating between them: at 50 (1.5),
 * the default until then, 1,975 REST steps/s and 842 resets/s; at 100, 2,216 and 882; at 150,
 * 2,289 and 891. The bench's 10,000 live episodes took 709, 838 and 902 MiB of RSS with
 * WORKERS=2 (466, 547, 577 with WORKERS=1). 100 keeps most of the gain with room under the
 * 1 GiB that 10,000 episodes may take; 50 suits a machine short of memory, 0 leaves the factor to V8.
 *
 * The flag is process-wide and read at every collection, so setting it before the workers start
 * covers every isolate of the process.
 */
import { setFlagsFromString } from "node:v8";

export const DEFAULT_HEAP_GROWING_PERCENT = 100;
const MAX_HEAP_GROWING_PERCENT = 300;

/** HEAP_GROWING_PERCENT, checked: an integer from 0 to 300; unset or empty means the default. */
export function heapGrowingPercentFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HEAP_GROWING_PERCENT;
  if (raw === undefined || raw === "") return DEFAULT_HEAP_GROWING_PERCENT;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_HEAP_GROWING_PERCENT) {
    throw new Error(`HEAP_GROWING_PERCENT must be an integer from 0 to ${MAX_HEAP_GROWING_PERCENT}, got "${raw}"`);
  }
  return value;
}

/** Sets V8's heap growing factor for this process (0: V8's own). */
export function applyHeapGrowth(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
