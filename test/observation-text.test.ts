/**
 * Observation.text: the markdown rendering of each observation (src/env/observation-text.ts), for
 * episodes reset with `text`. Through real servers on port 0 and real clients: REST (/reset,
 * /step, /observation, the batches), Connect JSON, gRPC (Reset, Step, GetObservation, the batch
 * RPCs, Interact), gRPC-Web, /ws and MCP; worker threads, an episode that slept (WARM_EPISODES)
 * and the shared store keep the option. The text is the rendering of the observation it comes
 * with (so it tells nothing else), and the same seed and actions give the same bytes.
 */
import { create, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ActionType, LogLevel, Severity, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { ObservationSchema, type Observation } from "../gen/incident/v1/observation_pb.js";
import { IncidentEnvService, InteractRequestSchema, type InteractResponse } from "../gen/incident/v1/service_pb.js";
import { renderObservationText, TEXT_LOG_LINES, TEXT_LOG_MESSAGE_CHARS } from "../src/env/observation-text.js";
import { fromRestJson } from "../src/json/rest-json.js";
import { testRedis } from "./support/redis.js";
import { dig, http, useServer, useWorkerServer } from "./support/server.js";
import { useReplicaServer } from "./support/shared-store-server.js";

const server = useServer();
const sleepy = useServer({ limits: { warmEpisodes: 1 } });
const pooled = useWorkerServer({ workers: 2 });
const redis = await testRedis();

type EnvClient = Client<typeof IncidentEnvService>;

/** An observation in the REST JSON dialect, as a message (its text dropped), rendered. */
function renderedRest(observation: unknown): string {
  const { text: _text, ...rest } = observation as Record<string, unknown>;
  return renderObservationText(fromRestJson(ObservationSchema, rest));
}

/** An observation message without its text, rendered. */
function rendered(observation: Observation | undefined): string {
  if (!observation) throw new Error("no observation");
  return renderObservationText({ ...observation, text: undefined });
}

describe("the renderer", () => {
  it("renders the page, the signals (anomalous first), alerts, logs, the inspection, and the topology and KB only when present", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "hard", seed: 11, episode_id: "render-1", text: true });
    expect(reset.status, reset.text).toBe(200);
    const text = dig(reset.json, "observation.text") as string;
    expect(text.startsWith("# Incident: step 0 of ")).toBe(true);
    for (const heading of [
      "## Page",
      "## Golden signals",
      "## Active alerts",
      "## Recent logs",
      "## Topology",
      "## Knowledge base",
      "## Previous actions",
    ])
      expect(text).toContain(heading);
    expect(text).not.toContain("## Inspection of");
    // Every service with a reading has a row; those with an anomalous reading come first.
    const metrics = dig(reset.json, "observation.metrics") as Array<{ service_name: string; is_anomalous: boolean }>;
    const rows = text
      .split("\n")
      .filter((line) => /^\| [^ ]+ \| /.test(line) && !line.startsWith("| service "))
      .map((line) => line.split(" | ")[0]?.slice(2));
    const anomalous = new Set(metrics.filter((m) => m.is_anomalous).map((m) => m.service_name));
    expect(new Set(rows)).toEqual(new Set(metrics.map((m) => m.service_name)));
    expect(rows.slice(0, anomalous.size).every((s) => anomalous.has(s ?? ""))).toBe(true);
    expect(anomalous.size).toBeGreaterThan(0);

    const paged = (dig(reset.json, "observation.alert.affected_services") as string[])[0];
    const step = await http(server.baseUrl, "POST", "/step", {
      episode_id: "render-1",
      action: { action_type: "inspect", target_service: paged, reasoning: "look" },
    });
    const stepText = dig(step.json, "observation.text") as string;
    expect(stepText).toContain(`## Inspection of ${paged} (`);
    expect(stepText).toContain(`- [0m] inspect on '${paged}': look`);
    // A lean step carries neither the topology nor the KB, so its text shows neither.
    expect(stepText).not.toContain("## Topology");
    expect(stepText).not.toContain("## Knowledge base");
    // Bounded: at most TEXT_LOG_LINES lines of recent logs.
    const logSection = stepText.slice(stepText.indexOf("## Recent logs"), stepText.indexOf("## Inspection of"));
    expect(logSection.split("\n").filter((l) => l.startsWith("- ")).length).toBeLessThanOrEqual(TEXT_LOG_LINES);
  });

  it("is the rendering of the observation it comes with, and nothing more", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 5, episode_id: "render-2", text: true });
    expect(dig(reset.json, "observation.text")).toBe(renderedRest(dig(reset.json, "observation")));
    const paged = (dig(reset.json, "observation.alert.affected_services") as string[])[0];
    for (const action of [
      { action_type: "inspect", target_service: paged },
      { action_type: "escalate", reasoning: "paging" },
    ]) {
      const step = await http(server.baseUrl, "POST", "/step", { episode_id: "render-2", action });
      expect(dig(step.json, "observation.text")).toBe(renderedRest(dig(step.json, "observation")));
    }
    const now = await http(server.baseUrl, "GET", "/observation?episode_id=render-2");
    expect(dig(now.json, "observation.text")).toBe(renderedRest(dig(now.json, "observation")));
    expect(dig(now.json, "observation.text")).toContain("## Topology");
  });

  it("gives byte-identical text for the same seed and actions", async () => {
    const play = async (id: string): Promise<string[]> => {
      const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 23, episode_id: id, text: true });
      const paged = (dig(reset.json, "observation.alert.affected_services") as string[])[0];
      const texts = [dig(reset.json, "observation.text") as string];
      for (const action of [
        { action_type: "inspect", target_service: paged },
        { action_type: "diagnose", target_service: paged, reasoning: "it pages" },
      ]) {
        texts.push(dig((await http(server.baseUrl, "POST", "/step", { episode_id: id, action })).json, "observation.text") as string);
      }
      return texts;
    };
    const [a, b] = [await play("same-a"), await play("same-b")];
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
  });
});

describe("the renderer on edge cases", () => {
  const at = (iso: string) => timestampFromMs(Date.parse(iso));
  const observation = create(ObservationSchema, {
    step: 2,
    maxSteps: 10,
    timeElapsedMinutes: 10,
    taskLevel: TaskLevel.EASY,
    objective: "Find the root.\nThen diagnose it.",
    feedback: "Inspected db.",
    alert: {
      alertId: "ALT-1",
      title: "db | errors",
      severity: Severity.P1,
      triggeredAt: at("2026-07-15T23:58:00Z"),
      affectedServices: ["db"],
      description: "line one\nline two",
    },
    metrics: [
      { serviceName: "web", metricName: "error_rate", value: 1, unit: "%", threshold: 5 },
      { serviceName: "db|primary", metricName: "error_rate", value: 40, unit: "%", threshold: 5, isAnomalous: true },
      { serviceName: "db|primary", metricName: "latency_p99", value: 900, unit: "ms", threshold: 250, isAnomalous: true },
    ],
    recentLogs: Array.from({ length: 25 }, (_, i) => ({
      timestamp: at(`2026-07-1${i < 20 ? 5 : 6}T23:59:${String(i).padStart(2, "0")}Z`),
      level: LogLevel.ERROR,
      service: "db",
      message: i === 24 ? "x".repeat(TEXT_LOG_MESSAGE_CHARS + 50) : `line ${i}\nmore`,
    })),
  });
  const text = renderObservationText(observation);

  it("keeps a line per item, escapes table pipes, puts anomalous services first and shows their thresholds", () => {
    expect(text).toContain("**Objective:** Find the root. Then diagnose it.");
    expect(text).toContain("line one line two");
    expect(text).toContain("| service | error_rate (%) | latency_p99 (ms) |");
    const rows = text.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| service"));
    expect(rows).toEqual(["| db\\|primary | **40** (5) | **900** (250) |", "| web | 1 | - |"]);
    expect(text).not.toContain("## Inspection of");
    expect(text).not.toContain("## Topology");
    expect(text).not.toContain("## Knowledge base");
    expect(text).toContain("## Previous actions\n(none)");
  });

  it("bounds the logs, cuts long messages, and dates times off the page's day", () => {
    const logLines = text
      .slice(text.indexOf("## Recent logs"))
      .split("\n")
      .filter((l) => l.startsWith("- "));
    expect(logLines).toHaveLength(TEXT_LOG_LINES);
    expect(logLines[0]).toContain("line 5 more"); // the newest TEXT_LOG_LINES, oldest first
    expect(logLines.at(-1)?.endsWith("…")).toBe(true);
    expect(logLines.at(-1)?.length).toBeLessThan(TEXT_LOG_MESSAGE_CHARS + 60);
    expect(text).toContain("**ALT-1** P1 at 2026-07-15 23:58:00Z: db | errors (affected: db)");
    expect(logLines[0]).toMatch(/^- 23:59:05Z ERROR db: /); // the page's day: the clock time only
    expect(logLines.at(-1)).toMatch(/^- 2026-07-16 23:59:24Z ERROR db: /); // another day: the date too
    expect(renderObservationText(observation)).toBe(text);
  });
});

describe("asked for per episode", () => {
  it("is null in REST JSON unless the reset asked; a bad value is refused naming the field", async () => {
    const plain = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 3, episode_id: "plain-1" });
    expect(dig(plain.json, "observation")).toHaveProperty("text", null);
    const step = await http(server.baseUrl, "POST", "/step", {
      episode_id: "plain-1",
      action: { action_type: "escalate", reasoning: "paging" },
    });
    expect(dig(step.json, "observation.text")).toBeNull();
    const off = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 3, text: false });
    expect(dig(off.json, "observation.text")).toBeNull();
    const bad = await http(server.baseUrl, "POST", "/reset", { text: "yes" });
    expect(bad.status).toBe(400);
    expect(dig(bad.json, "violations.0.field")).toBe("text");
  });

  it("works on the REST batches", async () => {
    const resets = await http(server.baseUrl, "POST", "/reset/batch", {
      items: [
        { seed: 1, episode_id: "rb-1", text: true },
        { seed: 2, episode_id: "rb-2" },
      ],
    });
    expect(resets.status, resets.text).toBe(200);
    expect(typeof dig(resets.json, "results.0.response.observation.text")).toBe("string");
    expect(dig(resets.json, "results.1.response.observation.text")).toBeNull();
    const steps = await http(server.baseUrl, "POST", "/step/batch", {
      items: [
        { episode_id: "rb-1", action: { action_type: "escalate", reasoning: "paging" } },
        { episode_id: "rb-2", action: { action_type: "escalate", reasoning: "paging" } },
      ],
    });
    expect(dig(steps.json, "results.0.response.observation.text")).toContain("# Incident: step 1 of ");
    expect(dig(steps.json, "results.1.response.observation.text")).toBeNull();
  });

  const transports = {
    gRPC: (baseUrl: string) => createGrpcTransport({ baseUrl }),
    "Connect JSON": (baseUrl: string) => createConnectTransport({ baseUrl, httpVersion: "1.1" }),
    "gRPC-Web": (baseUrl: string) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
  };
  it.each(Object.entries(transports))("works over %s: Reset, Step, GetObservation and the batch RPCs", async (name, transport) => {
    const client: EnvClient = createClient(IncidentEnvService, transport(server.baseUrl));
    const id = `rpc-${name.replace(/\W/g, "")}`;
    const reset = await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 9, episodeId: id, text: true });
    expect(reset.observation?.text).toBe(rendered(reset.observation));
    const step = await client.step({ episodeId: id, action: { actionType: ActionType.ESCALATE, reasoning: "paging" } });
    expect(step.observation?.text).toBe(rendered(step.observation));
    const now = await client.getObservation({ episodeId: id });
    expect(now.observation?.text).toBe(rendered(now.observation));
    // The same as REST's text for the same episode.
    const rest = await http(server.baseUrl, "GET", `/observation?episode_id=${id}`);
    expect(dig(rest.json, "observation.text")).toBe(now.observation?.text);

    const plain = await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 9, episodeId: `${id}-plain` });
    expect(plain.observation?.text).toBeUndefined();

    const batch = await client.resetBatch({
      items: [
        { seed: 4, episodeId: `${id}-b1`, text: true },
        { seed: 4, episodeId: `${id}-b2` },
      ],
    });
    const [first, second] = batch.results.map((r) => (r.result.case === "response" ? r.result.value : undefined));
    expect(first?.observation?.text).toBe(rendered(first?.observation));
    expect(second?.observation?.text).toBeUndefined();
    const steps = await client.stepBatch({
      items: [{ episodeId: `${id}-b1`, action: { actionType: ActionType.ESCALATE, reasoning: "paging" } }],
    });
    const stepped = steps.results[0]?.result;
    expect(stepped?.case === "response" ? stepped.value.observation?.text : undefined).toContain("# Incident: step 1 of ");
  });

  it("works in an Interact session", async () => {
    const client: EnvClient = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    async function* requests() {
      yield create(InteractRequestSchema, {
        requestId: 1n,
        request: { case: "reset", value: { seed: 6, episodeId: "interact-text", text: true } },
      });
      yield create(InteractRequestSchema, {
        requestId: 2n,
        request: { case: "step", value: { action: { actionType: ActionType.ESCALATE, reasoning: "paging" } } },
      });
      yield create(InteractRequestSchema, { requestId: 3n, request: { case: "observation", value: {} } });
    }
    const answers: InteractResponse[] = [];
    for await (const response of client.interact(requests())) answers.push(response);
    const observations = answers.map((a) =>
      a.response.case === "reset" || a.response.case === "step" || a.response.case === "observation"
        ? a.response.value.observation
        : undefined,
    );
    expect(observations).toHaveLength(3);
    for (const o of observations) expect(o?.text).toBe(rendered(o));
  });

  it("works on /ws (reset data text) and over MCP (the reset tool's text argument)", async () => {
    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
    const replies: Array<{ type: string; data: Record<string, unknown> }> = [];
    const next = (): Promise<{ type: string; data: Record<string, unknown> }> =>
      new Promise((resolve) => {
        const have = replies.shift();
        if (have) resolve(have);
        else ws.once("message", (data) => resolve(JSON.parse(String(data)) as { type: string; data: Record<string, unknown> }));
      });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    ws.send(JSON.stringify({ type: "reset", data: { seed: 12, text: true } }));
    const reset = await next();
    expect(reset.type).toBe("observation");
    expect(dig(reset.data, "observation.text")).toBe(renderedRest(dig(reset.data, "observation")));
    ws.send(JSON.stringify({ type: "step", data: { action_type: "escalate", reasoning: "paging" } }));
    const step = await next();
    expect(dig(step.data, "observation.text")).toContain("# Incident: step 1 of ");
    ws.close();

    const mcp = async (method: string, params: Record<string, unknown>, session: string) => {
      const response = await fetch(`${server.baseUrl}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", "mcp-session-id": session },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return (await response.json()) as JsonValue;
    };
    const session = `mcp-text-${randomUUID()}`;
    const list = await mcp("tools/list", {}, session);
    const resetTool = (dig(list, "result.tools") as Array<{ name: string; inputSchema: { properties: Record<string, unknown> } }>).find(
      (t) => t.name === "reset",
    );
    expect(resetTool?.inputSchema.properties).toHaveProperty("text");
    const started = await mcp("tools/call", { name: "reset", arguments: { seed: 12, text: true } }, session);
    expect(dig(started, "result.structuredContent.observation.text")).toBe(dig(reset.data, "observation.text"));
    const stepped = await mcp("tools/call", { name: "escalate", arguments: { reasoning: "paging" } }, session);
    expect(dig(stepped, "result.structuredContent.observation.text")).toBe(dig(step.data, "observation.text"));
    // The markdown is also the tool result's second content block, for clients that show the model the content.
    expect(dig(stepped, "result.content.1")).toEqual({ type: "text", text: dig(step.data, "observation.text") });
    expect(dig(started, "result.content.1.text")).toBe(dig(reset.data, "observation.text"));
    const state = await mcp("tools/call", { name: "get_state", arguments: {} }, session);
    expect(dig(state, "result.content") as unknown[]).toHaveLength(1);
  });
});

describe("kept where episodes live", () => {
  it("survives worker threads (pre-encoded responses) with the same bytes as one thread", async () => {
    const play = async (baseUrl: string) => {
      const reset = await http(baseUrl, "POST", "/reset", { task_level: "medium", seed: 31, episode_id: "workers-text", text: true });
      const step = await http(baseUrl, "POST", "/step", {
        episode_id: "workers-text",
        action: { action_type: "escalate", reasoning: "paging" },
      });
      const grpc = await createClient(IncidentEnvService, createGrpcTransport({ baseUrl })).step({
        episodeId: "workers-text",
        action: { actionType: ActionType.ESCALATE, reasoning: "again" },
      });
      return [dig(reset.json, "observation.text"), dig(step.json, "observation.text"), grpc.observation?.text];
    };
    const [inWorkers, inThread] = [await play(pooled.baseUrl), await play(server.baseUrl)];
    expect(typeof inWorkers[2]).toBe("string");
    expect(inWorkers).toEqual(inThread);
  });

  it("survives an episode that slept (WARM_EPISODES=1) and was rebuilt", async () => {
    await http(sleepy.baseUrl, "POST", "/reset", { seed: 8, episode_id: "sleeper", text: true });
    await http(sleepy.baseUrl, "POST", "/reset", { seed: 9, episode_id: "waker" }); // puts the sleeper to sleep
    const rebuilt = sleepy.env.warmStats().rebuilt;
    const step = await http(sleepy.baseUrl, "POST", "/step", {
      episode_id: "sleeper",
      action: { action_type: "escalate", reasoning: "paging" },
    });
    expect(sleepy.env.warmStats().rebuilt).toBe(rebuilt + 1);
    expect(dig(step.json, "observation.text")).toContain("# Incident: step 1 of ");
    expect(dig(step.json, "observation.text")).toBe(renderedRest(dig(step.json, "observation")));
  });

  describe.skipIf(redis.url === undefined)(`on the shared store${redis.skipReason ? ` (${redis.skipReason})` : ""}`, () => {
    const storePrefix = `test-text-${randomUUID().slice(0, 8)}`;
    const a = useReplicaServer(() => ({ store: { url: redis.url ?? "", prefix: storePrefix } }));
    const b = useReplicaServer(() => ({ store: { url: redis.url ?? "", prefix: storePrefix } }));
    it("keeps the option in the stored reset request: another replica rebuilds the episode with text, byte for byte", async () => {
      const reset = await http(a.baseUrl, "POST", "/reset", { seed: 14, episode_id: "store-text", text: true });
      expect(dig(reset.json, "observation.text")).toBe(renderedRest(dig(reset.json, "observation")));
      const step = await http(b.baseUrl, "POST", "/step", {
        episode_id: "store-text",
        action: { action_type: "escalate", reasoning: "paging" },
      });
      expect(step.status, step.text).toBe(200);
      expect(dig(step.json, "observation.text")).toBe(renderedRest(dig(step.json, "observation")));
      // The same episode in memory gives the same text.
      await http(server.baseUrl, "POST", "/reset", { seed: 14, episode_id: "store-text", text: true });
      const inMemory = await http(server.baseUrl, "POST", "/step", {
        episode_id: "store-text",
        action: { action_type: "escalate", reasoning: "paging" },
      });
      expect(dig(step.json, "observation.text")).toBe(dig(inMemory.json, "observation.text"));
    });
  });
});
