/**
 * Swagger UI's "Try it out" works the first time: every operation of /openapi.json that takes
 * input carries an example, every example validates against its schema, and sent to a real server
 * in the walkthrough's order (src/server/openapi-examples.ts), every one succeeds. /docs has a
 * real page title.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { OPENAPI_EXAMPLES } from "../src/server/openapi-examples.js";
import { frame, grpc, grpcWeb } from "./support/raw-rpc.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: unknown;
}
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: object; example?: unknown }>;
  requestBody?: { content: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> };
}

async function documentOf(): Promise<Document> {
  return (await http(server.baseUrl, "GET", "/openapi.json")).json as Document;
}

function validatorFor(doc: Document, schema: object) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", true);
  return ajv.compile({ components: doc.components, ...schema });
}

/** Every operation of the document: "METHOD /path". */
function operations(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
}

function operationOf(doc: Document, key: string): Operation {
  const [method, path] = key.split(" ") as [string, string];
  const operation = doc.paths[path]?.[method.toLowerCase()];
  expect(operation, key).toBeDefined();
  return operation!;
}

/** The operation's body examples in the document, in order, with the media type they are under. */
function bodyExamples(operation: Operation): Array<{ mediaType: string; value: unknown; schema: object }> {
  return Object.entries(operation.requestBody?.content ?? {}).flatMap(([mediaType, content]) =>
    Object.values(content.examples ?? {}).map((example) => ({ mediaType, value: example.value, schema: content.schema })),
  );
}

describe("the OpenAPI document's examples", () => {
  it("cover every operation (the WebSocket upgrade aside, which takes no input)", async () => {
    const doc = await documentOf();
    const covered = new Set(OPENAPI_EXAMPLES.map((e) => e.operation));
    expect(operations(doc).filter((op) => !covered.has(op))).toEqual(["GET /ws"]);
    for (const key of covered) {
      const operation = operationOf(doc, key);
      if (operation.requestBody) expect(bodyExamples(operation).length, key).toBeGreaterThan(0);
      for (const parameter of operation.parameters ?? [])
        if (parameter.required) expect(parameter.example, `${key} ${parameter.name}`).toBeDefined();
    }
  });

  it("validate against their schemas", async () => {
    const doc = await documentOf();
    for (const key of new Set(OPENAPI_EXAMPLES.map((e) => e.operation))) {
      const operation = operationOf(doc, key);
      for (const example of bodyExamples(operation)) {
        const validate = validatorFor(doc, example.schema);
        expect(validate(example.value), `${key}: ${JSON.stringify(example.value)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.example === undefined) continue;
        expect(validatorFor(doc, parameter.schema)(parameter.example), `${key} ${parameter.name}`).toBe(true);
      }
    }
  });

  it("succeed when sent to a real server in the walkthrough's order, as the document gives them", async () => {
    const doc = await documentOf();
    const seen = new Map<string, number>();
    const answers: Array<{ key: string; status: number; text: string }> = [];
    for (const example of OPENAPI_EXAMPLES) {
      const key = example.operation;
      const operation = operationOf(doc, key);
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      // What Swagger UI would send: the document's example (the same as the module's).
      const body = bodyExamples(operation)[index];
      expect(body?.value, key).toEqual(example.body);
      const [method, template] = key.split(" ") as [string, string];
      let path = template;
      const query = new URLSearchParams();
      for (const parameter of operation.parameters ?? []) {
        if (parameter.example === undefined) continue;
        if (parameter.in === "path") path = path.replace(`{${parameter.name}}`, String(parameter.example));
        else if (parameter.in === "query") query.set(parameter.name, String(parameter.example));
      }
      const rpc = template.startsWith("/incident.v1.IncidentEnvService/")
        ? template.slice("/incident.v1.IncidentEnvService/".length)
        : undefined;
      const bytes = new TextEncoder().encode(JSON.stringify(body?.value ?? {}));
      if (rpc !== undefined && body?.mediaType === "application/connect+json") {
        // A stream: Swagger UI cannot frame it, a client can. Interact streams both ways and needs HTTP/2.
        const answer =
          rpc === "Interact"
            ? await grpc(server.baseUrl, rpc, frame(bytes), "application/grpc+json")
            : await grpcWeb(server.baseUrl, rpc, frame(bytes), "application/grpc-web+json");
        answers.push({ key, status: answer.code === 0 ? 200 : 500, text: `${answer.code} ${answer.message}` });
        continue;
      }
      const response = await fetch(`${server.baseUrl}${path}${query.size > 0 ? `?${query}` : ""}`, {
        method,
        signal: AbortSignal.timeout(20_000),
        ...(body ? { headers: { "content-type": body.mediaType }, body: bytes } : {}),
      });
      answers.push({ key, status: response.status, text: await response.text() });
    }
    for (const answer of answers) expect(answer.status, `${answer.key}: ${answer.text.slice(0, 300)}`).toBeLessThan(300);
    // The walkthrough played as the README tells it: the diagnosis was right, and the stream of the ended episode ended.
    const diagnosis = answers.filter((a) => a.key === "POST /step")[1];
    expect(dig(JSON.parse(diagnosis!.text), "done")).toBe(true);
    expect(dig(JSON.parse(answers.find((a) => a.key === "GET /episodes/{episode_id}")!.text), "status")).toBe("terminated_success");
    expect(answers.find((a) => a.key === "GET /episodes/{episode_id}/logs")?.text).toMatch(/event: end/);
  }, 60_000);
});

describe("/docs", () => {
  it("has the environment's name as its page title", async () => {
    const page = await fetch(`${server.baseUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>incident-response-env API</title>");
  });
});
