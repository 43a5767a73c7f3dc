/**
 * Where the evaluation runner plays: an IncidentEnvironment in this process, or a server over
 * one of its transports (REST JSON, Connect, gRPC, gRPC-Web). One small interface over the typed
 * messages, so the runner does not care which.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import {
  CloseEpisodeRequestSchema,
  HealthResponseSchema,
  IncidentEnvService,
  ListScenariosResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepResponseSchema,
  type HealthResponse,
  type ListScenariosResponse,
  type ListTasksResponse,
  type ResetRequest,
  type ResetResponse,
  type StepRequest,
  type StepResponse,
} from "../../gen/incident/v1/service_pb.js";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { TaskSchema } from "../../gen/incident/v1/task_pb.js";
import { IncidentEnvironment } from "../env/environment.js";
import type { EpisodeRecord } from "../grading/record.js";
import { fromRestJson, toRestJson } from "../json/rest-json.js";
import type { TransportName } from "./args.js";

export { TRANSPORTS, type TransportName } from "./args.js";

export interface EnvBackend {
  /** "in-process", or the transport name. */
  readonly kind: "in-process" | TransportName;
  health(): Promise<HealthResponse>;
  listTasks(): Promise<ListTasksResponse>;
  listScenarios(): Promise<ListScenariosResponse>;
  reset(request: ResetRequest): Promise<ResetResponse>;
  step(request: StepRequest): Promise<StepResponse>;
  close(episodeId: string): Promise<void>;
  /** The episode's record with its ground truth: in process only. */
  record?(episodeId: string): EpisodeRecord;
  dispose(): Promise<void>;
}

export class InProcessBackend implements EnvBackend {
  readonly kind = "in-process" as const;
  constructor(readonly env: IncidentEnvironment = new IncidentEnvironment()) {}
  async health(): Promise<HealthResponse> {
    return this.env.health();
  }
  async listTasks(): Promise<ListTasksResponse> {
    return this.env.listTasks();
  }
  async listScenarios(): Promise<ListScenariosResponse> {
    return this.env.listScenarios();
  }
  async reset(request: ResetRequest): Promise<ResetResponse> {
    return this.env.reset(request);
  }
  async step(request: StepRequest): Promise<StepResponse> {
    return this.env.step(request);
  }
  async close(episodeId: string): Promise<void> {
    this.env.closeEpisode(create(CloseEpisodeRequestSchema, { episodeId }));
  }
  record(episodeId: string): EpisodeRecord {
    return this.env.episodeRecord(episodeId);
  }
  async dispose(): Promise<void> {}
}

/** Connect, gRPC or gRPC-Web through the generated client. */
class RpcBackend implements EnvBackend {
  private readonly client: Client<typeof IncidentEnvService>;
  constructor(
    readonly kind: "connect" | "grpc" | "grpc-web",
    baseUrl: string,
    timeoutMs = 60_000,
  ) {
    const options = { baseUrl, defaultTimeoutMs: timeoutMs };
    const transport =
      kind === "grpc"
        ? createGrpcTransport({ ...options, idleConnectionTimeoutMs: 2_000 })
        : kind === "grpc-web"
          ? createGrpcWebTransport({ ...options, httpVersion: "1.1" })
          : createConnectTransport({ ...options, httpVersion: "1.1" });
    this.client = createClient(IncidentEnvService, transport);
  }
  health(): Promise<HealthResponse> {
    return this.client.health({});
  }
  async listTasks(): Promise<ListTasksResponse> {
    return this.client.listTasks({});
  }
  listScenarios(): Promise<ListScenariosResponse> {
    return this.client.listScenarios({});
  }
  reset(request: ResetRequest): Promise<ResetResponse> {
    return this.client.reset(request);
  }
  step(request: StepRequest): Promise<StepResponse> {
    return this.client.step(request);
  }
  async close(episodeId: string): Promise<void> {
    await this.client.closeEpisode({ episodeId });
  }
  async dispose(): Promise<void> {}
}

/** An error body of the REST routes: {"code", "message", "violations"}. */
class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code} (HTTP ${status}): ${message}`);
  }
}

/** The curl-friendly REST JSON routes, with the same JSON dialect the server speaks. */
class RestBackend implements EnvBackend {
  readonly kind = "rest" as const;
  private readonly base: string;
  constructor(
    baseUrl: string,
    private readonly timeoutMs = 60_000,
  ) {
    this.base = baseUrl.replace(/\/+$/, "");
  }
  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? {} : JSON.parse(text);
    } catch {
      throw new RestError(response.status, "unknown", `not JSON: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      const e = json as { code?: string; message?: string };
      throw new RestError(response.status, e.code ?? "unknown", e.message ?? text.slice(0, 200));
    }
    return json;
  }
  async health(): Promise<HealthResponse> {
    return fromRestJson(HealthResponseSchema, await this.call("GET", "/health"));
  }
  async listTasks(): Promise<ListTasksResponse> {
    const list = (await this.call("GET", "/tasks")) as unknown[];
    return { $typeName: "incident.v1.ListTasksResponse", tasks: list.map((t) => fromRestJson(TaskSchema, t)) };
  }
  async listScenarios(): Promise<ListScenariosResponse> {
    return fromRestJson(ListScenariosResponseSchema, await this.call("GET", "/scenarios"));
  }
  async reset(request: ResetRequest): Promise<ResetResponse> {
    return fromRestJson(ResetResponseSchema, await this.call("POST", "/reset", toRestJson(ResetRequestSchema, request)));
  }
  async step(request: StepRequest): Promise<StepResponse> {
    const body = { episode_id: request.episodeId ?? null, action: toRestJson(ActionSchema, request.action ?? create(ActionSchema)) };
    return fromRestJson(StepResponseSchema, await this.call("POST", "/step", body));
  }
  async close(episodeId: string): Promise<void> {
    await this.call("DELETE", `/episodes/${encodeURIComponent(episodeId)}`);
  }
  async dispose(): Promise<void> {}
}

export function remoteBackend(transport: TransportName, url: string, timeoutMs?: number): EnvBackend {
  return transport === "rest" ? new RestBackend(url, timeoutMs) : new RpcBackend(transport, url, timeoutMs);
}

export function resetRequest(init: MessageInitShape<typeof ResetRequestSchema>): ResetRequest {
  return create(ResetRequestSchema, init);
}
