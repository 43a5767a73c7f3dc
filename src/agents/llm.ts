/**
 * The LLM agent: any OpenAI-compatible chat endpoint (a hosted API, vLLM, Ollama, llama.cpp's
 * server) through the official `openai` SDK.
 *
 * Each step it shows the model everything the agent may use (the page with its affected
 * services, active alerts, the topology, every overview metric with its service, the recent logs,
 * the KB articles, the last inspection, previous actions and feedback) and asks for one JSON
 * action matching the action's JSON Schema, generated from the proto (the REST dialect). The
 * reply is parsed with the REST JSON mapping and checked against the proto's protovalidate rules
 * (and an inspect or diagnose against the services of the system, which the server checks too);
 * an invalid reply is sent back once with the error, and if the second reply is invalid too, or the
 * endpoint fails, the agent falls back to a safe action (inspect the paging service). An endpoint
 * that cannot serve at all (unreachable, or refusing with 401, 403 or 404: a bad key or an unknown
 * model) is no reason to play on with fallbacks: the agent throws AgentUnavailableError.
 *
 * Configuration (environment variables, as the original incident-response-env's inference.py read them):
 *   OPENAI_BASE_URL or API_BASE_URL   the endpoint (default: OpenAI's; the Hugging Face router
 *                                     when only HF_TOKEN is set)
 *   MODEL_NAME                        the model (default Qwen/Qwen2.5-72B-Instruct, the original's)
 *   OPENAI_API_KEY or HF_TOKEN        the key (local servers accept any)
 */
import { create, type JsonValue } from "@bufbuild/protobuf";
import OpenAI from "openai";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType } from "../../gen/incident/v1/enums_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { renderObservationText } from "../env/observation-text.js";
import { fromRestJson } from "../json/rest-json.js";
import { checkTargetExists } from "../env/target-check.js";
import { resolveService } from "../scenarios/service-names.js";
import { standaloneSchema } from "../json/json-schema.js";
import { validated } from "../json/validation.js";
import { AgentUnavailableError, type AsyncAgent } from "./agent.js";

export const DEFAULT_MODEL = "Qwen/Qwen2.5-72B-Instruct";
const HF_ROUTER_URL = "https://router.huggingface.co/v1";

export interface LlmConfig {
  /** OpenAI-compatible base URL, e.g. http://localhost:11434/v1 (Ollama) or http://localhost:8000/v1 (vLLM). */
  baseURL?: string | undefined;
  model: string;
  apiKey: string;
  temperature?: number;
  maxTokens?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries of the SDK on connection errors, 429 and 5xx (default 2). */
  maxRetries?: number;
  /** Ask for `response_format: {type: "json_object"}` (most servers support it). */
  jsonMode?: boolean;
}

/** The configuration from the environment variables, with overrides. */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<LlmConfig> = {}): LlmConfig {
  const explicitUrl = env.OPENAI_BASE_URL ?? env.API_BASE_URL;
  const hfOnly = env.OPENAI_API_KEY === undefined && env.HF_TOKEN !== undefined;
  const baseURL = overrides.baseURL ?? explicitUrl ?? (hfOnly ? HF_ROUTER_URL : undefined);
  return {
    baseURL,
    model: overrides.model ?? env.MODEL_NAME ?? DEFAULT_MODEL,
    // Local servers ignore the key; the SDK insists on one.
    apiKey: overrides.apiKey ?? env.OPENAI_API_KEY ?? env.HF_TOKEN ?? "not-needed",
    ...(overrides.temperature !== undefined ? { temperature: overrides.temperature } : {}),
    ...(overrides.maxTokens !== undefined ? { maxTokens: overrides.maxTokens } : {}),
    ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
    ...(overrides.maxRetries !== undefined ? { maxRetries: overrides.maxRetries } : {}),
    ...(overrides.jsonMode !== undefined ? { jsonMode: overrides.jsonMode } : {}),
  };
}

const ACTION_JSON_SCHEMA = JSON.stringify(standaloneSchema(ActionSchema, "rest"));

export const SYSTEM_PROMPT = `You are a senior SRE on call for a microservice system during a live incident.
Each turn you get the current observation and reply with exactly ONE next action as a JSON object.

Actions (action_type):
- inspect: look closely at one service (target_service): its metric history, dependencies, recent changes, logs and a sample trace. The result appears in the next observation.
- diagnose: name the root-cause service (target_service) and its failure mode (fault_kind). On the easy task this is final and ends the episode.
- apply_fix: apply a typed remediation to target_service: remediation = {"kind": <remediation kind>, "parameters": {...}}, e.g. {"kind": "rollback"}, {"kind": "scale", "parameters": {"replicas": "6"}}. The right fix on the right service heals the system; a wrong one can make it worse.
- write_runbook: runbook_steps, ordered (diagnose, mitigate, verify, escalate), with target_service the root service.
- write_postmortem: postmortem_sections (summary, timeline with clock times, root_cause, impact with numbers, action_items), severity_assessment (P1-P4) and target_service.
- escalate: page the owners of target_service (for a third-party provider's outage: its support).
- resolve: declare the incident over (ends the episode); do it only after the system has stayed healthy.

Loud symptoms are often not the cause: follow the errors down the dependency graph to the service whose own metrics and logs show the failure, and line up when each service's trouble started with the change log (alerts that fired long before the page are background). Not every page is an outage: if nothing is actually wrong, change nothing; if a provider is down, mitigate on our side and escalate to it. The episode is graded once, at its end, on your last answer of each kind; changing your answer costs. Every step costs time.

Reply with ONLY the JSON object (no prose, no code fence). It must match this JSON Schema:
${ACTION_JSON_SCHEMA}`;

/**
 * The observation as the model reads it: the environment's markdown rendering (the one renderer,
 * src/env/observation-text.ts, that Observation.text holds too), then the reply instruction.
 */
export function renderObservation(o: Observation): string {
  return `${renderObservationText(o)}\nReply with ONLY the JSON action.`;
}

/** The JSON object in a model's reply: fences and text around it are dropped. */
function extractJson(reply: string): unknown {
  const text = reply
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  try {
    return JSON.parse(text);
  } catch {
    const start = text.indexOf("{");
    const end = text.lastIndexOf("}");
    if (start >= 0 && end > start) return JSON.parse(text.slice(start, end + 1));
    throw new Error("the reply holds no JSON object");
  }
}

/** Parses and validates a reply into an Action; throws with a message fit to show the model. */
export function parseAction(reply: string): Action {
  let json: unknown;
  try {
    json = extractJson(reply);
  } catch (e) {
    throw new Error(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  // Accept OpenEnv's envelope too.
  if (typeof json === "object" && json !== null && !Array.isArray(json) && "action" in json && !("action_type" in json)) {
    json = (json as { action: JsonValue }).action;
  }
  const action = fromRestJson(ActionSchema, json);
  return validated(ActionSchema, action);
}

interface LlmAgentStats {
  calls: number;
  retries: number;
  fallbacks: number;
  api_errors: number;
  invalid_replies: number;
}

/** The safe action when the model gives nothing usable: look at the paging service. */
function fallbackAction(o: Observation, reason: string): Action {
  const page = o.alert?.affectedServices[0] ?? o.activeAlerts[0]?.affectedServices[0] ?? o.topology?.services[0]?.name;
  // Inspecting the same service twice in a row teaches nothing: then look at its worst callee.
  const last = o.previousActions[o.previousActions.length - 1] ?? "";
  const worst = [...o.metrics].filter((m) => m.isAnomalous && m.serviceName !== page).map((m) => m.serviceName)[0];
  const target = page !== undefined && last.includes(`inspect on '${page}'`) && worst ? worst : page;
  return create(ActionSchema, {
    actionType: ActionType.INSPECT,
    ...(target !== undefined ? { targetService: target } : {}),
    reasoning: `fallback (${reason.replace(/\s+/g, " ").slice(0, 300)})`,
  });
}

/**
 * An AgentUnavailableError when the endpoint cannot serve this configuration at all: nothing
 * answers (after the SDK's retries), or it refuses the key or the model (401, 403, 404). Overload
 * (429, 5xx) and a bad request of one step are left to the fallback.
 */
function endpointUnusable(error: unknown, config: LlmConfig): AgentUnavailableError | undefined {
  const where = `${config.baseURL ?? "https://api.openai.com/v1"} (model ${config.model})`;
  if (error instanceof OpenAI.APIConnectionError)
    return new AgentUnavailableError(`the model endpoint ${where} is unreachable: ${error.message}`, { cause: error });
  if (error instanceof OpenAI.APIError && (error.status === 401 || error.status === 403 || error.status === 404)) {
    return new AgentUnavailableError(`the model endpoint ${where} refused the request with HTTP ${error.status}: ${error.message}`, {
      cause: error,
    });
  }
  return undefined;
}

/**
 * The action, if it does not inspect or diagnose a service this system lacks: the server refuses
 * those (src/env/target-check.ts), so such a reply is invalid like any other and is sent back once.
 */
function inThisSystem(action: Action, observation: Observation): Action {
  const services = observation.topology?.services ?? [];
  if (services.length > 0) checkTargetExists(action, resolveService(action.targetService, services)?.name);
  return action;
}

/** The SDK client for a configuration; share one between the agents of a run. */
export function openAIClient(config: LlmConfig): OpenAI {
  return new OpenAI({
    apiKey: config.apiKey,
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    timeout: config.timeoutMs ?? 60_000,
    maxRetries: config.maxRetries ?? 2,
  });
}

export function llmAgent(config: LlmConfig, client?: OpenAI): AsyncAgent {
  const openai = client ?? openAIClient(config);
  const stats: LlmAgentStats = { calls: 0, retries: 0, fallbacks: 0, api_errors: 0, invalid_replies: 0 };

  const chat = async (messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[]): Promise<string> => {
    stats.calls++;
    try {
      const completion = await openai.chat.completions.create({
        model: config.model,
        messages,
        temperature: config.temperature ?? 0,
        max_tokens: config.maxTokens ?? 1000,
        ...(config.jsonMode ? { response_format: { type: "json_object" as const } } : {}),
      });
      return completion.choices[0]?.message?.content ?? "";
    } catch (error) {
      throw endpointUnusable(error, config) ?? error;
    }
  };

  return {
    name: "llm",
    stats: () => ({ ...stats }),
    async act(observation: Observation): Promise<Action> {
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: renderObservation(observation) },
      ];
      let reply: string;
      try {
        reply = await chat(messages);
      } catch (e) {
        if (e instanceof AgentUnavailableError) throw e;
        stats.api_errors++;
        stats.fallbacks++;
        return fallbackAction(observation, `model call failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      try {
        return inThisSystem(parseAction(reply), observation);
      } catch (first) {
        stats.invalid_replies++;
        stats.retries++;
        const error = first instanceof Error ? first.message : String(first);
        messages.push(
          { role: "assistant", content: reply },
          {
            role: "user",
            content: `That reply is not a valid action: ${error}. Reply again with ONLY one JSON object matching the schema.`,
          },
        );
        let again: string;
        try {
          again = await chat(messages);
        } catch (e) {
          if (e instanceof AgentUnavailableError) throw e;
          stats.api_errors++;
          stats.fallbacks++;
          return fallbackAction(observation, `model call failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        try {
          return inThisSystem(parseAction(again), observation);
        } catch (second) {
          stats.invalid_replies++;
          stats.fallbacks++;
          return fallbackAction(observation, `invalid reply after a retry: ${second instanceof Error ? second.message : String(second)}`);
        }
      }
    },
  };
}
