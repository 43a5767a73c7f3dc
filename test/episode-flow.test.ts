/**
 * An episode through the REST interface: partial observability, inspect, typed and legacy fixes
 * with effects on the world, incident status moving on facts, and the catalogue.
 */
import { describe, expect, it } from "vitest";
import { IncidentEnvironment } from "../src/env/environment.js";
import { PRESETS } from "../src/scenarios/incidents/index.js";
import { fixRecovers, isIdentifiable } from "../src/scenarios/generate-incident.js";
import { IncidentWorld } from "../src/sim/incident-world.js";
import { oracleAgent } from "../src/agents/oracle.js";
import { runEpisode } from "../src/agents/run-episode.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

type Json = Record<string, unknown>;
const step = async (episode: string, action: Json) => {
  const r = await http(server.baseUrl, "POST", "/step", { episode_id: episode, action });
  expect(r.status, r.text).toBe(200);
  return r.json;
};

describe("partial observability and inspect", () => {
  it("shows the topology and the golden signals of entry points and alerting services only; inspect shows the rest", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "hard", seed: 21, episode_id: "obs" });
    const services = dig(reset.json, "observation.topology.services") as Json[];
    const alerting = new Set((dig(reset.json, "observation.active_alerts") as Json[]).flatMap((a) => a.affected_services as string[]));
    const gateways = services.filter((s) => s.kind === "gateway").map((s) => s.name as string);
    const shown = new Set((dig(reset.json, "observation.metrics") as Json[]).map((m) => m.service_name as string));
    for (const name of shown) expect(alerting.has(name) || gateways.includes(name), name).toBe(true);
    expect(shown.size).toBeLessThan(services.length);
    expect((dig(reset.json, "observation.topology.dependencies") as Json[]).length).toBeGreaterThan(services.length - 2);
    expect(dig(reset.json, "observation.inspection")).toBeNull();

    const root = server.env.episodeRecord("obs").spec.root;
    const after = await step("obs", { action_type: "inspect", target_service: root, reasoning: "look closer" });
    expect(dig(after, "observation.inspection.service")).toBe(root);
    const series = dig(after, "observation.inspection.series") as Json[];
    expect(series.length).toBeGreaterThanOrEqual(3);
    for (const s of series) expect((s.points as Json[]).length).toBe(30);
    expect((dig(after, "observation.inspection.trace.spans") as Json[]).length).toBeGreaterThan(0);
    expect(dig(after, "observation.current_incident_status")).toBe("investigating");
    expect(dig(after, "observation.feedback")).toBe(`Inspected ${root}.`);

    const next = await step("obs", { action_type: "escalate", reasoning: "need the owners" });
    expect(dig(next, "observation.inspection")).toBeNull();
  });

  it("inspecting the deploy system shows every recent change, including the trigger", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 4, fault_kind: "bad_deploy", episode_id: "changes" });
    const spec = server.env.episodeRecord("changes").spec;
    const config = spec.topology.nodes.find((n) => n.kind === "config");
    expect(config).toBeDefined();
    const after = await step("changes", { action_type: "inspect", target_service: config?.name });
    const changes = dig(after, "observation.inspection.recent_changes") as Json[];
    expect(changes.some((c) => c.kind === "deploy" && c.service === spec.root)).toBe(true);
  });
});

describe("fixes change the world and the status moves on facts", () => {
  it("the right typed fix heals the system: mitigated, then resolved once health held", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 8, fault_kind: "process_crash", episode_id: "heal" });
    const spec = server.env.episodeRecord("heal").spec;
    const fixed = await step("heal", {
      action_type: "apply_fix",
      target_service: spec.root,
      remediation: { kind: "restart" },
      reasoning: "it crashed",
    });
    expect(String(dig(fixed, "observation.feedback"))).not.toMatch(/did not change/);
    let status = "";
    for (let i = 0; i < 5 && status !== "mitigated"; i++)
      status = String(
        dig(await step("heal", { action_type: "inspect", target_service: spec.root }), "observation.current_incident_status"),
      );
    expect(status).toBe("mitigated");
    for (let i = 0; i < 3; i++) await step("heal", { action_type: "inspect", target_service: spec.root });
    const end = await step("heal", { action_type: "resolve", reasoning: "healthy for a while" });
    expect(dig(end, "done")).toBe(true);
    expect(dig(end, "observation.current_incident_status")).toBe("resolved");
  });

  it("a legacy fix read from the reasoning works like the typed one", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 8, fault_kind: "process_crash", episode_id: "legacy" });
    const spec = server.env.episodeRecord("legacy").spec;
    await step("legacy", { action_type: "apply_fix", target_service: spec.root, reasoning: "restarted the crashed pods" });
    const outcome = server.env.episodeRecord("legacy").steps[0]?.remediation?.kind;
    expect(outcome).toBe("fixed");
  });

  it("a tempting wrong fix makes things worse and costs conduct", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 8, fault_kind: "process_crash", episode_id: "wrong" });
    const spec = server.env.episodeRecord("wrong").spec;
    const wrong = await step("wrong", {
      action_type: "apply_fix",
      target_service: spec.root,
      remediation: { kind: "scale", parameters: { replicas: "12" } },
    });
    expect(server.env.episodeRecord("wrong").steps[0]?.remediation?.kind).toBe("harmful");
    // During the episode nothing says whether the fix was right: no reward, no breakdown, and
    // feedback that only says what was done.
    expect(dig(wrong, "reward")).toBe(0);
    expect(dig(wrong, "info.breakdown")).toBeNull();
    expect(String(dig(wrong, "observation.feedback"))).toBe(`${spec.root} scaled to 12 replicas.`);
    const end = await step("wrong", { action_type: "resolve", reasoning: "giving up" });
    expect(
      (dig(end, "info.breakdown.penalties") as Json[]).some(
        (p) => String(p.name).includes("harmful") || String(p.detail).includes("conduct"),
      ),
    ).toBe(true);
    const state = (await http(server.baseUrl, "GET", "/state?episode_id=wrong")).json;
    expect(dig(state, "grade.penalties")).toEqual(dig(end, "info.breakdown.penalties"));
  });

  it("resolving before health holds ends the episode without resolving the incident", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 9, episode_id: "early" });
    const end = await step("early", { action_type: "resolve", reasoning: "looks fine to me" });
    expect(dig(end, "done")).toBe(true);
    expect(dig(end, "observation.current_incident_status")).not.toBe("resolved");
    expect(dig((await http(server.baseUrl, "GET", "/state?episode_id=early")).json, "status")).toBe("terminated_failed");
  });
});

describe("catalogue", () => {
  it("GET /scenarios lists families, every fault mode, the presets, the seed ranges and the level profiles", async () => {
    const catalogue = (await http(server.baseUrl, "GET", "/scenarios")).json;
    expect((dig(catalogue, "families") as Json[]).length).toBeGreaterThanOrEqual(4);
    expect((dig(catalogue, "fault_modes") as Json[]).length).toBe(20);
    expect((dig(catalogue, "presets") as Json[]).map((p) => p.scenario_id)).toEqual(PRESETS.map((p) => p.id));
    expect((dig(catalogue, "seed_ranges") as Json[]).map((r) => r.name)).toEqual(["public", "held_out"]);
    expect((dig(catalogue, "levels") as Json[]).map((l) => l.level)).toEqual(["easy", "medium", "hard", "expert"]);
  });

  it("GET /tasks lists each level's preset ids", async () => {
    const tasks = (await http(server.baseUrl, "GET", "/tasks")).json as Json[];
    expect(tasks.flatMap((t) => t.scenario_ids as string[])).toEqual(PRESETS.map((p) => p.id));
  });
});

describe("the ten incidents of the original incident-response-env as presets", () => {
  it.each(PRESETS.map((p) => [p.id, p] as const))("%s is identifiable, healable, and the oracle solves it", (_id, preset) => {
    expect(isIdentifiable(new IncidentWorld(preset, 1))).toBe(true);
    expect(fixRecovers(preset, 1)).toBe(true);
    const env = new IncidentEnvironment();
    const result = runEpisode(env, (record) => oracleAgent(record().spec, () => record().world), {
      scenarioId: preset.id,
      seed: 1,
      episodeId: "preset",
    });
    expect(result.score).toBeGreaterThanOrEqual(0.9);
  });
});
