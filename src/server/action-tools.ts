/**
 * The action types as tools a language model can call: one per ActionType value, named by its
 * action_type word (`inspect`, `diagnose`, `apply_fix`, ...), described by the value's proto
 * comment, taking exactly the Action fields its `(incident.v1.action_fields)` option lists, with
 * their REST-dialect JSON Schema (src/server/json-schema.ts, `$ref`s inlined so each schema stands
 * alone). One source for two surfaces:
 * - the MCP tools of the action types (src/server/mcp.ts, tools/list);
 * - tool definitions for function calling in the OpenAI shape
 *   (`{"type": "function", "function": {"name", "description", "parameters"}}`), served at
 *   GET /tools and in GetSchema's `tools`, so a trainer hands them to its model as they are.
 * A call becomes an action as `{"action_type": name, ...arguments}`: what /step takes (REST
 * JSON), and what the MCP tool sends.
 */
import { getOption, type DescMessage, type JsonObject } from "@bufbuild/protobuf";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { protoComments } from "../../gen/incident/v1/comments.js";
import { ActionTypeSchema } from "../../gen/incident/v1/enums_pb.js";
import { action_fields } from "../../gen/incident/v1/options_pb.js";
import { shortEnumName } from "../json/rest-json-words.js";
import { SchemaCollector, type JsonSchema } from "../json/json-schema.js";

/** One action type as a tool. */
interface ActionTool {
  /** The action_type word, e.g. "apply_fix". */
  name: string;
  /** The name in words, e.g. "apply fix". */
  title: string;
  description: string;
  /** The Action fields the tool takes (REST names), besides action_type. */
  fields: readonly string[];
  /** JSON Schema of the arguments: an object of exactly those fields. */
  parameters: JsonSchema;
}

/** A tool definition for function calling, in the shape OpenAI's chat API (and vLLM, TRL, ...) take. */
export interface FunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: JsonSchema };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON Schema of a FunctionTool (the OpenAPI document's /tools items). */
export const FUNCTION_TOOL_SCHEMA: JsonSchema = {
  type: "object",
  title: "FunctionTool",
  properties: {
    type: { const: "function" },
    function: {
      type: "object",
      properties: {
        name: { type: "string", description: "The action_type word" },
        description: { type: "string" },
        parameters: {
          type: "object",
          description: "JSON Schema of the arguments: the Action fields this action type reads (REST dialect)",
        },
      },
      required: ["name", "description", "parameters"],
    },
  },
  required: ["type", "function"],
};

/** Replaces local `$ref`s by the schemas they name, so tool schemas stand alone. */
function inlineRefs(schema: unknown, defs: Readonly<Record<string, JsonSchema>>, seen: readonly string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, defs, seen));
  if (!isObject(schema)) return schema;
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
    const name = ref.slice("#/$defs/".length);
    const target = defs[name];
    if (target === undefined || seen.includes(name)) return { type: "object" };
    const { $ref: _ref, ...rest } = schema;
    return { ...(inlineRefs(target, defs, [...seen, name]) as JsonSchema), ...rest };
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlineRefs(v, defs, seen)]));
}

/** An object schema of some fields of a message, REST dialect, refs inlined. */
export function argumentsSchema(desc: DescMessage, fields: readonly string[]): JsonSchema {
  const collector = new SchemaCollector("rest", "#/$defs/");
  collector.ref(desc);
  const message = collector.definitions[desc.typeName] ?? {};
  const all = (message.properties ?? {}) as Record<string, JsonSchema>;
  const properties: Record<string, unknown> = {};
  for (const name of fields) if (all[name] !== undefined) properties[name] = inlineRefs(all[name], collector.definitions);
  const required = ((message.required ?? []) as string[]).filter((name) => fields.includes(name));
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

/** Every action type but UNSPECIFIED, in declaration order. */
export function actionTools(): ActionTool[] {
  return ActionTypeSchema.values
    .filter((value) => value.number !== 0)
    .map((value) => {
      const name = shortEnumName(ActionTypeSchema, value.name);
      const fields = getOption(value, action_fields);
      const comment = protoComments[`${ActionTypeSchema.typeName}.${value.name}`] ?? name;
      return {
        name,
        title: name.replace(/_/g, " "),
        description: `${comment} Takes one step of the episode and returns the new observation, the reward and whether the episode is done.`,
        fields,
        parameters: argumentsSchema(ActionSchema, fields),
      };
    });
}

/** The action tools in the function-calling shape. */
export function functionTools(tools: readonly ActionTool[] = actionTools()): FunctionTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}

/** The action a call of tool `name` with `args` stands for, as REST JSON (what /step takes). */
export function actionOfCall(name: string, args: JsonObject): JsonObject {
  return { ...args, action_type: name };
}
