/**
 * The six runtime criteria of `openenv validate --url` (OpenEnv's src/openenv/cli/_validation.py,
 * see shared/reference/openenv-protocol.md §3.2), checked against the live server the way the
 * validator checks them, plus what the OpenAPI document must list for the streaming surfaces.
 */
import { describe, expect, it } from "vitest";
import { http, useServer } from "./support/server.js";

const server = useServer();

type Json = Record<string, unknown>;

async function getJson(path: string): Promise<{ status: number; json: Json | undefined }> {
  const response = await fetch(server.baseUrl + path);
  let json: Json | undefined;
  try {
    json = (await response.json()) as Json;
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/** One criterion as the validator reports it. */
type Criterion = { name: string; passed: boolean };

async function validate(): Promise<Criterion[]> {
  const openapi = await getJson("/openapi.json");
  const info = openapi.json?.info as Json | undefined;
  const health = await getJson("/health");
  const metadata = await getJson("/metadata");
  const schema = await getJson("/schema");
  const mcpResponse = await fetch(`${server.baseUrl}/mcp`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const mcp = { status: mcpResponse.status, json: (await mcpResponse.json().catch(() => undefined)) as Json | undefined };
  const paths = Object.keys((openapi.json?.paths ?? {}) as Json);
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  const simulation = paths.includes("/reset");
  return [
    { name: "openapi_version_available", passed: openapi.status === 200 && typeof info?.version === "string" },
    { name: "health_endpoint", passed: health.status === 200 && health.json?.status === "healthy" },
    {
      name: "metadata_endpoint",
      passed: metadata.status === 200 && typeof metadata.json?.name === "string" && typeof metadata.json?.description === "string",
    },
    {
      name: "schema_endpoint",
      passed: schema.status === 200 && isObject(schema.json?.action) && isObject(schema.json?.observation) && isObject(schema.json?.state),
    },
    { name: "mcp_endpoint", passed: mcp.status === 200 && mcp.json?.jsonrpc === "2.0" },
    {
      name: "mode_endpoint_consistency",
      passed: simulation ? paths.includes("/step") && paths.includes("/state") : !paths.includes("/step") && !paths.includes("/state"),
    },
  ];
}

describe("openenv validate --url", () => {
  it("passes all six criteria", async () => {
    const criteria = await validate();
    expect(criteria.map((c) => c.name)).toEqual([
      "openapi_version_available",
      "health_endpoint",
      "metadata_endpoint",
      "schema_endpoint",
      "mcp_endpoint",
      "mode_endpoint_consistency",
    ]);
    for (const c of criteria) expect(c.passed, c.name).toBe(true);
  });

  it("the OpenAPI document lists the streaming surfaces and is self-consistent", async () => {
    const doc = (await http(server.baseUrl, "GET", "/openapi.json")).json as Json;
    const paths = doc.paths as Record<string, Json>;
    for (const p of [
      "/reset",
      "/step",
      "/state",
      "/mcp",
      "/ws",
      "/episodes/{episode_id}/logs",
      "/episodes/{episode_id}/events",
      "/incident.v1.IncidentEnvService/StreamEpisodeEvents",
    ]) {
      expect(Object.keys(paths)).toContain(p);
    }
    expect(paths["/mcp"]?.post).toBeDefined();
    expect(paths["/ws"]?.get).toBeDefined();
    const logs = paths["/episodes/{episode_id}/logs"]?.get as Json;
    expect((logs.parameters as Json[]).map((p) => p.name)).toEqual([
      "episode_id",
      "services",
      "min_level",
      "after_seq",
      "since",
      "Last-Event-ID",
    ]);
    const events = paths["/episodes/{episode_id}/events"]?.get as Json;
    expect((events.parameters as Json[]).map((p) => p.name)).toContain("kinds");
    // Every $ref points at a component that exists.
    const schemas = (doc.components as Json).schemas as Json;
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const target = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(Object.keys(schemas), ref).toContain(target);
    }
    // Operation ids are unique.
    const ids = Object.values(paths).flatMap((item) => Object.values(item).map((op) => (op as Json).operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
