/**
 * Same seed and same actions give byte-identical responses (observations, rewards, grades),
 * through the real REST interface.
 */
import { describe, expect, it } from "vitest";
import { http, useServer } from "./support/server.js";

const server = useServer();

const actions = [
  { action_type: "escalate", reasoning: "paging the database team" },
  { action_type: "apply_fix", target_service: "postgres-db", reasoning: "terminate idle connections and cap the pool size" },
  {
    action_type: "write_runbook",
    runbook_steps: ["Check active connections on postgres-db", "Terminate idle sessions", "Watch the 5xx error rate"],
  },
  { action_type: "diagnose", target_service: "postgres-db", reasoning: "connection slots exhausted" },
];

async function play(level: string, seed: number, episodeId: string): Promise<string[]> {
  const reset = await http(server.baseUrl, "POST", "/reset", { task_level: level, seed, episode_id: episodeId });
  expect(reset.status, reset.text).toBe(200);
  const transcript = [reset.text];
  for (const action of actions) {
    const step = await http(server.baseUrl, "POST", "/step", { episode_id: episodeId, action });
    transcript.push(step.text);
    if (step.status !== 200) break;
  }
  transcript.push((await http(server.baseUrl, "GET", `/state?episode_id=${episodeId}`)).text);
  return transcript;
}

describe("determinism", () => {
  it.each(["easy", "medium", "hard"])("%s: two runs with one seed are byte-identical", async (level) => {
    const first = await play(level, 1234, "det-a");
    const second = await play(level, 1234, "det-a");
    expect(second).toEqual(first);
    expect(first.length).toBeGreaterThan(2);
  });

  it("different seeds give different worlds", async () => {
    const a = await play("easy", 1, "det-b");
    const b = await play("easy", 2, "det-b");
    expect(a[0]).not.toEqual(b[0]);
  });
});
