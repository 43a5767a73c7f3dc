/**
 * The examples of the OpenAPI document, so that Swagger UI's "Try it out" works the first time:
 * clicked through in this order, every one succeeds. They follow the README's easy walkthrough
 * (INC-EASY-001, seed 42: inspect postgres-db, then diagnose it), first over REST, then over
 * Connect JSON with an episode of its own; the streams come after the episode has ended, so that
 * they deliver the whole episode and end instead of waiting for more.
 *
 * test/openapi-examples.test.ts checks that each example validates against its schema and that,
 * sent in this order to a real server, each gets a 2xx.
 */
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/** The REST walkthrough's episode, and the Connect one's. */
const EXAMPLE_EPISODE = "walkthrough";
const EXAMPLE_CONNECT_EPISODE = "walkthrough-connect";

interface OperationExample {
  /** The operation: its method and path as the document writes them, e.g. "POST /step" or "GET /episodes/{episode_id}". */
  operation: string;
  /** Shown in Swagger UI's example list. */
  summary: string;
  body?: JsonValue;
  /** Path and query parameters by name. */
  parameters?: Readonly<Record<string, string>>;
}

const walkthrough = { episode_id: EXAMPLE_EPISODE };
const connectPath = (method: string): string => `POST /incident.v1.IncidentEnvService/${method}`;
const inspect = { action_type: "inspect", target_service: "postgres-db", reasoning: "the gateway is loud, but the database errors too" };
const diagnose = {
  action_type: "diagnose",
  target_service: "postgres-db",
  fault_kind: "connection_pool_exhaustion",
  reasoning: "connection slots exhausted",
};
const escalate = (reasoning: string): JsonObject => ({ action_type: "escalate", reasoning });

/** In walkthrough order; an operation with several examples lists them in the order they are played. */
export const OPENAPI_EXAMPLES: readonly OperationExample[] = [
  { operation: "GET /health", summary: "Is the server up" },
  { operation: "GET /metadata", summary: "What this environment is" },
  { operation: "GET /schema", summary: "The JSON Schemas of action, observation and state" },
  { operation: "GET /tools", summary: "The actions as function-calling tools" },
  { operation: "GET /tasks", summary: "The task levels" },
  { operation: "GET /scenarios", summary: "The hand-written scenarios, fault modes and seed ranges" },
  {
    operation: "POST /reset",
    summary: "The README's easy episode",
    body: { task_level: "easy", scenario_id: "INC-EASY-001", seed: 42, ...walkthrough },
  },
  { operation: "GET /observation", summary: "The walkthrough's observation, complete", parameters: walkthrough },
  { operation: "POST /step", summary: "Inspect the database", body: { ...walkthrough, action: inspect } },
  { operation: "GET /state", summary: "The walkthrough's state", parameters: walkthrough },
  { operation: "GET /episodes", summary: "The live episodes, the walkthrough among them", parameters: { page_size: "10" } },
  { operation: "POST /step", summary: "Diagnose it (final on the easy task)", body: { ...walkthrough, action: diagnose } },
  { operation: "GET /episodes/{episode_id}", summary: "The walkthrough's state, graded", parameters: walkthrough },
  { operation: "GET /episodes/{episode_id}/logs", summary: "Every log line of the ended walkthrough", parameters: walkthrough },
  { operation: "GET /episodes/{episode_id}/events", summary: "Every event of the ended walkthrough", parameters: walkthrough },
  { operation: "DELETE /episodes/{episode_id}", summary: "Close the walkthrough", parameters: walkthrough },
  {
    operation: "POST /reset/batch",
    summary: "Two episodes at once",
    body: {
      items: [
        { task_level: "easy", seed: 1, episode_id: "batch-a" },
        { task_level: "medium", seed: 2, episode_id: "batch-b" },
      ],
    },
  },
  {
    operation: "POST /step/batch",
    summary: "One action in each",
    body: {
      items: [
        { episode_id: "batch-a", action: escalate("paging the owners") },
        { episode_id: "batch-b", action: escalate("paging the owners") },
      ],
    },
  },
  { operation: "POST /mcp", summary: "MCP: the tools", body: { jsonrpc: "2.0", id: 1, method: "tools/list" } },
  { operation: connectPath("Health"), summary: "Is the server up", body: {} },
  { operation: connectPath("GetMetadata"), summary: "What this environment is", body: {} },
  { operation: connectPath("GetSchema"), summary: "The JSON Schemas", body: {} },
  { operation: connectPath("ListTasks"), summary: "The task levels", body: {} },
  { operation: connectPath("ListEpisodes"), summary: "The live episodes", body: { pageSize: 10 } },
  { operation: connectPath("ListScenarios"), summary: "Scenarios, fault modes and seed ranges", body: {} },
  {
    operation: connectPath("Reset"),
    summary: "The README's easy episode",
    body: { taskLevel: "TASK_LEVEL_EASY", scenarioId: "INC-EASY-001", seed: 42, episodeId: EXAMPLE_CONNECT_EPISODE },
  },
  { operation: connectPath("GetObservation"), summary: "Its observation", body: { episodeId: EXAMPLE_CONNECT_EPISODE } },
  {
    operation: connectPath("Step"),
    summary: "Inspect the database",
    body: {
      episodeId: EXAMPLE_CONNECT_EPISODE,
      action: { actionType: "ACTION_TYPE_INSPECT", targetService: "postgres-db", reasoning: inspect.reasoning },
    },
  },
  {
    operation: connectPath("Interact"),
    summary: "One session request: the state (a gRPC or Connect client over HTTP/2)",
    body: { requestId: "1", state: { episodeId: EXAMPLE_CONNECT_EPISODE } },
  },
  { operation: connectPath("GetState"), summary: "Its state", body: { episodeId: EXAMPLE_CONNECT_EPISODE } },
  {
    operation: connectPath("Step"),
    summary: "Diagnose it",
    body: {
      episodeId: EXAMPLE_CONNECT_EPISODE,
      action: {
        actionType: "ACTION_TYPE_DIAGNOSE",
        targetService: "postgres-db",
        faultKind: "FAULT_KIND_CONNECTION_POOL_EXHAUSTION",
        reasoning: diagnose.reasoning,
      },
    },
  },
  {
    operation: connectPath("StreamLogs"),
    summary: "Every log line of the ended episode (a Connect or gRPC client)",
    body: { episodeId: EXAMPLE_CONNECT_EPISODE },
  },
  {
    operation: connectPath("StreamEpisodeEvents"),
    summary: "Every event of the ended episode (a Connect or gRPC client)",
    body: { episodeId: EXAMPLE_CONNECT_EPISODE },
  },
  { operation: connectPath("CloseEpisode"), summary: "Close it", body: { episodeId: EXAMPLE_CONNECT_EPISODE } },
  {
    operation: connectPath("ResetBatch"),
    summary: "Two episodes at once",
    body: {
      items: [
        { taskLevel: "TASK_LEVEL_EASY", seed: 1, episodeId: "connect-batch-a" },
        { taskLevel: "TASK_LEVEL_MEDIUM", seed: 2, episodeId: "connect-batch-b" },
      ],
    },
  },
  {
    operation: connectPath("StepBatch"),
    summary: "One action in each",
    body: {
      items: [
        { episodeId: "connect-batch-a", action: { actionType: "ACTION_TYPE_ESCALATE", reasoning: "paging the owners" } },
        { episodeId: "connect-batch-b", action: { actionType: "ACTION_TYPE_ESCALATE", reasoning: "paging the owners" } },
      ],
    },
  },
];

/** The examples of one operation, in order. */
function examplesOf(operation: string): OperationExample[] {
  return OPENAPI_EXAMPLES.filter((example) => example.operation === operation);
}

/** An OpenAPI `examples` map (named after their place in the walkthrough) of the request bodies. */
export function bodyExamples(operation: string): Record<string, { summary: string; value: JsonValue }> | undefined {
  const withBody = examplesOf(operation).filter((example) => example.body !== undefined);
  if (withBody.length === 0) return undefined;
  return Object.fromEntries(withBody.map((example, i) => [`walkthrough-${i + 1}`, { summary: example.summary, value: example.body! }]));
}

/** The example value of one parameter of an operation (its first example's). */
export function parameterExample(operation: string, name: string): string | undefined {
  return examplesOf(operation).find((example) => example.parameters?.[name] !== undefined)?.parameters?.[name];
}
