/**
 * Self-description: /schema, /openapi.json and /docs are generated from the protos and agree with
 * what the server actually sends and accepts.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

function validatorFor(schema: unknown) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", true);
  return ajv.compile(schema as object);
}

describe("/schema", () => {
  it("describes action, observation and state, and real responses validate against it", async () => {
    const schema = (await http(server.baseUrl, "GET", "/schema")).json;
    const observation = validatorFor(dig(schema, "observation"));
    const state = validatorFor(dig(schema, "state"));
    const action = validatorFor(dig(schema, "action"));

    const reset = await http(server.baseUrl, "POST", "/reset", {
      task_level: "easy",
      scenario_id: "INC-EASY-001",
      seed: 3,
      episode_id: "schema-check",
    });
    expect(observation(dig(reset.json, "observation")), JSON.stringify(observation.errors)).toBe(true);
    const good = { action_type: "diagnose", target_service: "postgres-db", reasoning: "slots exhausted", metadata: {} };
    expect(action(good), JSON.stringify(action.errors)).toBe(true);
    const step = await http(server.baseUrl, "POST", "/step", { episode_id: "schema-check", action: good });
    expect(observation(dig(step.json, "observation")), JSON.stringify(observation.errors)).toBe(true);
    expect(state((await http(server.baseUrl, "GET", "/state?episode_id=schema-check")).json)).toBe(true);
  });

  it("carries the proto rules and comments, so agents see the limits the server enforces", async () => {
    const schema = (await http(server.baseUrl, "GET", "/schema")).json;
    const actionDef = (dig(schema, "action.$defs") as Record<string, unknown>)["incident.v1.Action"];
    const props = dig(actionDef, "properties") as Record<string, unknown>;
    expect(dig(props, "action_type.enum")).toEqual([
      "diagnose",
      "escalate",
      "write_runbook",
      "apply_fix",
      "write_postmortem",
      "resolve",
      "inspect",
    ]);
    expect(dig(props, "reasoning.maxLength")).toBe(4000);
    expect(dig(props, "runbook_steps.maxItems")).toBe(30);
    expect(String(dig(props, "target_service.description"))).toMatch(/service the action is about/);
    expect(dig(actionDef, "required")).toEqual(["action_type"]);
    const validate = validatorFor(dig(schema, "action"));
    expect(validate({ action_type: "totally_made_up" })).toBe(false);
    expect(validate({ action_type: "diagnose", reasoning: "x".repeat(4001) })).toBe(false);
  });
});

describe("/openapi.json and /docs", () => {
  it("lists the REST routes and every Connect method, with the OpenEnv version field", async () => {
    const doc = (await http(server.baseUrl, "GET", "/openapi.json")).json;
    expect(dig(doc, "openapi")).toBe("3.1.0");
    expect(typeof dig(doc, "info.version")).toBe("string");
    const paths = Object.keys(dig(doc, "paths") as object);
    for (const p of [
      "/health",
      "/metadata",
      "/schema",
      "/tasks",
      "/scenarios",
      "/reset",
      "/step",
      "/reset/batch",
      "/step/batch",
      "/state",
      "/episodes/{episode_id}",
    ])
      expect(paths).toContain(p);
    for (const m of [
      "Health",
      "GetMetadata",
      "GetSchema",
      "ListTasks",
      "ListScenarios",
      "Reset",
      "Step",
      "ResetBatch",
      "StepBatch",
      "Interact",
      "GetState",
      "CloseEpisode",
      "StreamLogs",
    ]) {
      expect(paths).toContain(`/incident.v1.IncidentEnvService/${m}`);
    }
    const schemas = dig(doc, "components.schemas") as Record<string, unknown>;
    expect(Object.keys(schemas)).toContain("incident.v1.Observation");
    expect(Object.keys(schemas)).toContain("connect.incident.v1.Observation");
    expect(dig(schemas["connect.incident.v1.Observation"], "properties.recentLogs")).toBeDefined();
    expect(dig(schemas["incident.v1.Observation"], "properties.recent_logs")).toBeDefined();
  });

  it("describes the batch routes: real batch answers, items and errors, validate against their schemas", async () => {
    const doc = (await http(server.baseUrl, "GET", "/openapi.json")).json as { components: unknown; paths: Record<string, unknown> };
    const operation = (path: string) => dig(doc.paths[path], "post");
    const answers = (path: string) => {
      const schema = dig(operation(path), "responses.200.content") as Record<string, { schema: object }>;
      expect(schema["application/json"]?.schema).toHaveProperty("$ref");
      return validatorFor({ components: doc.components, ...schema["application/json"]?.schema });
    };
    const statuses = (path: string) => Object.keys(dig(operation(path), "responses") as object).sort();
    expect(statuses("/reset/batch")).toEqual(["200", "400", "413", "415", "431"]);
    expect(statuses("/step/batch")).toEqual(["200", "400", "413", "415", "431"]);

    const reset = await http(server.baseUrl, "POST", "/reset/batch", {
      items: [{ task_level: "easy", seed: 3, episode_id: "docs-batch" }, { task_level: "legendary" }],
    });
    const resetSchema = answers("/reset/batch");
    expect(resetSchema(reset.json), JSON.stringify(resetSchema.errors)).toBe(true);
    const step = await http(server.baseUrl, "POST", "/step/batch", {
      items: [
        { episode_id: "docs-batch", action: { action_type: "escalate" } },
        { episode_id: "nope", action: { action_type: "escalate" } },
      ],
    });
    const stepSchema = answers("/step/batch");
    expect(stepSchema(step.json), JSON.stringify(stepSchema.errors)).toBe(true);
    expect(stepSchema({ results: [{ response: null, error: { code: 5 } }] })).toBe(false);
  });

  it("serves Swagger UI with its assets from the package", async () => {
    const page = await fetch(`${server.baseUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger/i);
    const bundle = await fetch(`${server.baseUrl}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it("/metadata and /health answer as OpenEnv expects", async () => {
    expect(dig((await http(server.baseUrl, "GET", "/health")).json, "status")).toBe("healthy");
    const metadata = (await http(server.baseUrl, "GET", "/metadata")).json;
    expect(dig(metadata, "name")).toBe("incident-response-env");
    expect(typeof dig(metadata, "description")).toBe("string");
    expect(String(dig(metadata, "readme_content"))).toMatch(/npm ci && npm start/);
  });
});
