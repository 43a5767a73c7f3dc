/**
 * Closed-loop load from this process: `actors` concurrent loops, each waiting for its answer before
 * it sends the next request (as a trainer's actor does), for a warm-up and then a measured spell.
 * The rate is counted units (steps) over the time until the last actor has stopped.
 */
/** How long a load row runs: a warm-up spell (discarded), then the measured one. */
export interface LoadSpec {
  durationS: number;
  warmupS: number;
}

export interface ActorContext {
  actor: number;
  /** False once the spell is over: finish the call in flight and return. */
  running(): boolean;
  /** Calls of the play function this actor has completed in this spell (0 during its first). */
  round: number;
  /** False during the warm-up spell. */
  measured: boolean;
  /** Records `n` units done (env-steps). */
  done(n: number): void;
  /** Records a failed call. */
  failed(error: unknown): void;
}

export interface LoopFigures {
  rate: number;
  units: number;
  seconds: number;
  failures: number;
  /** The first failure, for the row's note. */
  firstError?: string;
}

async function spell(
  actors: number,
  seconds: number,
  measured: boolean,
  play: (context: ActorContext) => Promise<void>,
): Promise<LoopFigures> {
  let units = 0;
  let failures = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: actors }, async (_, actor) => {
      const context: ActorContext = {
        actor,
        running: () => performance.now() < deadline,
        round: 0,
        measured,
        done: (n) => (units += n),
        failed: (error) => {
          failures++;
          firstError ??= error instanceof Error ? error.message : String(error);
        },
      };
      while (context.running()) {
        try {
          await play(context);
          context.round++;
        } catch (error) {
          context.failed(error);
          await new Promise((resolve) => setTimeout(resolve, 20)); // no hot loop on a persistent error
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { rate: units / elapsed, units, seconds: elapsed, failures, ...(firstError !== undefined ? { firstError } : {}) };
}

/** A warm-up spell (discarded), then the measured one. */
export async function closedLoop(
  options: { actors: number; durationS: number; warmupS: number },
  play: (context: ActorContext) => Promise<void>,
): Promise<LoopFigures> {
  if (options.warmupS > 0) await spell(options.actors, options.warmupS, false, play);
  return spell(options.actors, options.durationS, true, play);
}
