/**
 * No dead exports: every name src/ exports is used by another file (tools/dead-exports.ts).
 */
import { describe, expect, it } from "vitest";
import { deadExports } from "../tools/dead-exports.js";

describe("exports", () => {
  it("every export of src/ is used by another file (node --import tsx tools/dead-exports.ts lists them)", () => {
    const dead = deadExports(undefined, ["test/dead-exports.test.ts"]);
    expect(dead).toEqual([]);
  });
});
