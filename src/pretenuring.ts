/**
 * V8's allocation-site pretenuring, off for the server process and its simulation workers unless
 * ALLOCATION_SITE_PRETENURING=1 turns it back on.
 *
 * Why: V8 counts, for each place in the code that allocates objects, how many of them survive a
 * young-generation collection; when nearly all do, it allocates that site's objects straight in
 * the old generation. A reset builds an episode whose objects outlive a few collections and then
 * die when the id is reset again, so V8 tenured such sites (`--trace-pretenuring-statistics`
 * shows them: created and found 100 of 100 times, "tenure"), and every reset then put tens of
 * kilobytes of soon-dead data into the old generation, which only a full collection (marking on
 * V8's helper threads) reclaims. In process, with 25 episodes reset in turn, each young collection
 * promoted about 3 MB with the sites tenured and about 1 MB without.
 *
 * Measured 2026-12-03 (22:40 UTC) with two warm 2-worker servers side by side, the bench's rows
 * alternating between them in 4-second windows: POST /reset 1,141 against 1,413 resets/s (every
 * one of 6 windows faster, 1.54 against 1.23 ms of server CPU per reset), REST steps 2,742 against
 * 2,814 steps/s; with WORKERS=1, 754 against 781 resets/s.
 *
 * The flag is process-wide, so setting it before the workers start covers every isolate of the
 * process; objects allocated before it was set are not affected.
 */
import { setFlagsFromString } from "node:v8";

/** ALLOCATION_SITE_PRETENURING, checked: "1" keeps V8's pretenuring, "0" (or unset, or empty) turns it off. */
export function pretenuringFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.ALLOCATION_SITE_PRETENURING;
  if (raw === undefined || raw === "" || raw === "0") return false;
  if (raw === "1") return true;
  throw new Error(`ALLOCATION_SITE_PRETENURING must be 0 or 1, got "${raw}"`);
}

/** Turns V8's allocation-site pretenuring on or off for this process. */
export function applyPretenuring(on: boolean): void {
  setFlagsFromString(on ? "--allocation-site-pretenuring" : "--no-allocation-site-pretenuring");
}
