/**
 * The computed ceilings of the bench report (bench/suite/ceiling.ts): cores divided by the least
 * CPU a call needs, where that least is the sum of parts measured in the same run.
 */
import { describe, expect, it } from "vitest";
import { cpuBoundRate, cpuSecondsPerCall } from "../bench/suite/ceiling.js";

describe("bench ceilings", () => {
  it("counts the server's and the load generator's CPU per call", () => {
    expect(cpuSecondsPerCall({ serverCores: 1.2, benchCores: 0.3 }, 1000)).toBeCloseTo(0.0015, 12);
    // h2load runs outside the bench process: only the server's CPU is known.
    expect(cpuSecondsPerCall({ serverCores: 1.2, benchCores: undefined }, 1000)).toBeCloseTo(0.0012, 12);
    expect(cpuSecondsPerCall({ serverCores: 1, benchCores: 1 }, 0)).toBeNaN();
  });

  it("divides the cores by the sum of the parts", () => {
    // 2 cores, 0.5 ms of stack and client plus 1 ms of simulation per call: 1,333 calls/s at most.
    expect(cpuBoundRate(2, [0.0005, 0.001])).toBeCloseTo(1333.33, 1);
    expect(cpuBoundRate(4, [0.0005, 0.001])).toBeCloseTo(2666.67, 1);
    expect(cpuBoundRate(2, [])).toBeNaN();
  });
});
