/**
 * The LLM agent: any OpenAI-compatible chat endpoint (a hosted API, vLLM, Ollama, llama.cpp's
 * server) through the official `openai` SDK.
 *
 * Each step it shows the model everything the agent may use (the page with its affected
 * services, active alerts, the topology, every overview metric with its service, the recent logs,
 * the KB articles, the last inspection, previous actions and feedback) and asks for one JSON
 * action matching the action's JSON Schema, generated from the proto (the REST dialect). The
 * reply is parsed with the REST JSON mapping and checked against the proto's protovalidate rules;
 * an invalid reply is sent back once with the error, and if the second reply is invalid too, or the
 * endpoint fails, the agent falls back to a safe action (inspect the paging service).
 *
 * Configuration (environment variables, as the seed's inference.py read them):
 *   OPENAI_BASE_URL or API_BASE_URL   the endpoint (default: OpenAI's; the Hugging Face router
 *                                     when only HF_TOKEN is set)
 *   MODEL_NAME                        the model (default Qwen/Qwen2.5-72B-Instruct, the seed's)
 *   OPENAI_API_KEY or HF_TOKEN        the key (local servers accept any)
 */
import { create, type JsonValue } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import OpenAI from "openai";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, IncidentStatus, LogLevel, RetryBackoff, ServiceKind, Severity, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import { wordFromEnum } from "../sim/enum-words.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { fromRestJson } from "../json/rest-json.js";
import { standaloneSchema } from "../json/json-schema.js";
import { validated } from "../json/validation.js";
import type { AsyncAgent } from "./agent.js";

export const DEFAULT_MODEL = "Qwen/Qwen2.5-72B-Instruct";
export const HF_ROUTER_URL = "https://router.huggingface.co/v1";

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

const MAX_LOG_LINES = 20;

function words(value: number, names: Record<string, string | number>): string {
  return wordFromEnum(names, value) ?? "";
}

function clock(ts: Parameters<typeof timestampMs>[0] | undefined): string {
  if (!ts) return "?";
  return new Date(timestampMs(ts)).toISOString().replace(".000Z", "Z");
}

/** The observation as the model reads it: every field an agent may use, service names included. */
export function renderObservation(o: Observation): string {
  const out: string[] = [];
  const level = words(o.taskLevel, TaskLevel);
  out.push(`Step ${o.step} of at most ${o.maxSteps}; ${o.timeElapsedMinutes} minutes since you joined. Task: ${level}.`);
  out.push(`Objective: ${o.objective}`);
  out.push(`Incident status: ${wordFromEnum(IncidentStatus, o.currentIncidentStatus) ?? "unknown"}. Feedback on your last action: ${o.feedback}`);
  if (o.alert) {
    const a = o.alert;
    out.push("", "=== PAGE ===", `${a.alertId} [${Severity[a.severity] ?? "?"}] ${a.title} at ${clock(a.triggeredAt)}`, `affected services: ${a.affectedServices.join(", ")}`, a.description);
  }
  if (o.activeAlerts.length > 0) {
    out.push("", "=== ACTIVE ALERTS ===");
    for (const a of o.activeAlerts) out.push(`${a.alertId} [${Severity[a.severity] ?? "?"}] ${a.title} (affected: ${a.affectedServices.join(", ")}) since ${clock(a.triggeredAt)}`);
  }
  if (o.topology) {
    out.push("", `=== TOPOLOGY (${o.topology.family}) ===`);
    for (const s of o.topology.services) {
      const aliases = s.aliases.length > 0 ? `; aliases: ${s.aliases.join(", ")}` : "";
      out.push(`- ${s.name} (${words(s.kind, ServiceKind)}, ${s.replicas} replicas, ${s.version}${s.zone ? `, ${s.zone}` : ""}): ${s.role}${aliases}`);
    }
    out.push("dependencies (caller -> callee):");
    for (const d of o.topology.dependencies) {
      const path = d.requestPath ? "" : ", infrastructure";
      out.push(`- ${d.caller} -> ${d.callee} (${d.callsPerSecond} calls/s, timeout ${d.timeoutMs} ms, ${d.retries} retries, backoff ${words(d.backoff, RetryBackoff)}${path})`);
    }
  }
  out.push("", "=== METRICS (now) ===");
  for (const m of o.metrics) out.push(`${m.serviceName} ${m.metricName} = ${m.value}${m.unit} (threshold ${m.threshold})${m.isAnomalous ? " [ANOMALOUS]" : ""}`);
  out.push("", `=== RECENT LOGS (last ${Math.min(MAX_LOG_LINES, o.recentLogs.length)}) ===`);
  for (const l of o.recentLogs.slice(-MAX_LOG_LINES)) out.push(`${clock(l.timestamp)} ${LogLevel[l.level] ?? "?"} ${l.service}: ${l.message}`);
  out.push("", "=== KNOWLEDGE BASE (not every article applies) ===");
  for (const k of o.kbArticles) out.push(`[${k.articleId}] ${k.title}: ${k.content}`);
  const i = o.inspection;
  if (i) {
    out.push("", `=== INSPECTION OF ${i.service} (${words(i.kind, ServiceKind)}, ${i.version}, ${i.replicas} replicas) at minute ${i.takenAtMinute} ===`);
    for (const s of i.series) {
      const pts = s.points;
      const values = pts.map((p) => p.value);
      const first = pts[0];
      const last = pts[pts.length - 1];
      if (!first || !last) continue;
      out.push(`${s.metricName} (${s.unit}, threshold ${s.threshold}): minute ${first.minute} ${first.value} -> minute ${last.minute} ${last.value}; min ${Math.min(...values)}, max ${Math.max(...values)}`);
    }
    for (const d of i.dependencies) out.push(`calls ${d.callee}: ${d.callsPerSecond} calls/s, ${d.errorRate}% errors, p99 ${d.latencyMs} ms`);
    if (i.dependents.length > 0) out.push(`called by: ${i.dependents.join(", ")}`);
    for (const c of i.recentChanges) out.push(`change at ${clock(c.timestamp)} on ${c.service}: ${c.description}`);
    for (const l of i.recentLogs) out.push(`${clock(l.timestamp)} ${LogLevel[l.level] ?? "?"} ${l.service}: ${l.message}`);
    if (i.trace) out.push(`trace ${i.trace.traceId}: ${i.trace.spans.map((s) => `${s.service} ${s.durationMs}ms${s.error ? " ERROR" : ""}`).join(" > ")}`);
  }
  out.push("", "=== YOUR PREVIOUS ACTIONS ===", ...(o.previousActions.length > 0 ? o.previousActions : ["(none)"]));
  out.push("", "Reply with ONLY the JSON action.");
  return out.join("\n");
}

/** The JSON object in a model's reply: fences and text around it are dropped. */
export function extractJson(reply: string): unknown {
  const text = reply.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
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

export interface LlmAgentStats {
  calls: number;
  retries: number;
  fallbacks: number;
  api_errors: number;
  invalid_replies: number;
}

/** The safe action when the model gives nothing usable: look at the paging service. */
export function fallbackAction(o: Observation, reason: string): Action {
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
    const completion = await openai.chat.completions.create({
      model: config.model,
      messages,
      temperature: config.temperature ?? 0,
      max_tokens: config.maxTokens ?? 1000,
      ...(config.jsonMode ? { response_format: { type: "json_object" as const } } : {}),
    });
    return completion.choices[0]?.message?.content ?? "";
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
        stats.api_errors++;
        stats.fallbacks++;
        return fallbackAction(observation, `model call failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      try {
        return parseAction(reply);
      } catch (first) {
        stats.invalid_replies++;
        stats.retries++;
        const error = first instanceof Error ? first.message : String(first);
        messages.push({ role: "assistant", content: reply }, { role: "user", content: `That reply is not a valid action: ${error}. Reply again with ONLY one JSON object matching the schema.` });
        let again: string;
        try {
          again = await chat(messages);
        } catch (e) {
          stats.api_errors++;
          stats.fallbacks++;
          return fallbackAction(observation, `model call failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        try {
          return parseAction(again);
        } catch (second) {
          stats.invalid_replies++;
          stats.fallbacks++;
          return fallbackAction(observation, `invalid reply after a retry: ${second instanceof Error ? second.message : String(second)}`);
        }
      }
    },
  };
}
