/**
 * Connect's JSON codec is as strict as the REST routes (src/server/connect-json.ts): an unknown
 * key or enum word is invalid_argument naming the field, on unary methods, Connect GET, server
 * streams, Interact and gRPC-Web JSON, and costs no step; the short enum words ("hard",
 * "inspect") are accepted next to the proto names and numbers.
 */
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { connectGet, connectUnary, frame, grpc, grpcWeb, STILL_STREAMING } from "./support/raw-rpc.js";
import { useServer } from "./support/server.js";

const server = useServer();

/** Connect unary JSON, as curl or fetch sends it. */
async function call(method: string, body: unknown) {
  const answer = await connectUnary(server.baseUrl, method, JSON.stringify(body), "application/json");
  return { ...answer, json: answer.httpStatus === 200 ? (JSON.parse(answer.text) as Record<string, unknown>) : undefined };
}

async function resetEasy(): Promise<string> {
  const reset = await call("Reset", { taskLevel: "TASK_LEVEL_EASY", scenarioId: "INC-EASY-001", seed: 42 });
  expect(reset.httpStatus).toBe(200);
  return reset.json!["episodeId"] as string;
}

async function stepCount(episodeId: string): Promise<number> {
  const state = await call("GetState", { episodeId });
  expect(state.httpStatus).toBe(200);
  return (state.json!["state"] as { stepCount: number }).stepCount;
}

describe("Connect JSON unary", () => {
  it('starts a hard episode for the short word "hard", and for the proto name and number', async () => {
    for (const taskLevel of ["hard", "HARD", "TASK_LEVEL_HARD", TaskLevel.HARD]) {
      const reset = await call("Reset", { taskLevel, seed: 3 });
      expect(reset.httpStatus, JSON.stringify(taskLevel)).toBe(200);
      const observation = reset.json!["observation"] as { taskLevel: string };
      expect(observation.taskLevel).toBe("TASK_LEVEL_HARD");
    }
  });

  it("refuses a misspelled field, naming it and the fields that exist", async () => {
    const answer = await call("Reset", { taskLevl: "hard" });
    expect(answer.httpStatus).toBe(400);
    expect(answer.code).toBe("invalid_argument");
    expect(answer.message).toContain('unknown field "taskLevl"');
    expect(answer.message).toContain("taskLevel");
  });

  it("refuses an unknown enum word, naming the field and the words expected", async () => {
    const answer = await call("Reset", { taskLevel: "hardest" });
    expect(answer.httpStatus).toBe(400);
    expect(answer.code).toBe("invalid_argument");
    expect(answer.message).toMatch(/^taskLevel: "hardest" is not one of: easy, medium, hard/);
    const undefinedNumber = await call("Reset", { taskLevel: 99 });
    expect(undefinedNumber.code).toBe("invalid_argument");
    expect(undefinedNumber.message).toMatch(/^taskLevel: 99 is not one of/);
  });

  it("refuses a misspelled action field without consuming a step", async () => {
    const episodeId = await resetEasy();
    const answer = await call("Step", { episodeId, action: { actionType: "inspect", targetSevice: "postgres-db" } });
    expect(answer.httpStatus).toBe(400);
    expect(answer.code).toBe("invalid_argument");
    expect(answer.message).toContain('action.targetSevice: unknown field "targetSevice"');
    expect(await stepCount(episodeId)).toBe(0);
    const bad = await call("Step", { episodeId, action: { actionType: "inspekt", targetService: "postgres-db" } });
    expect(bad.message).toMatch(/^action\.actionType: "inspekt" is not one of: .*inspect/);
    expect(await stepCount(episodeId)).toBe(0);
  });

  it('takes the short action word "inspect" and the proto field names', async () => {
    const episodeId = await resetEasy();
    const answer = await call("Step", { episode_id: episodeId, action: { action_type: "inspect", target_service: "postgres-db" } });
    expect(answer.httpStatus).toBe(200);
    expect(await stepCount(episodeId)).toBe(1);
  });

  it("refuses an unknown field of a Connect GET message", async () => {
    const answer = await connectGet(
      server.baseUrl,
      "GetState",
      `encoding=json&connect=v1&message=${encodeURIComponent(JSON.stringify({ episodId: "x" }))}`,
    );
    expect(answer.httpStatus).toBe(400);
    expect(answer.code).toBe("invalid_argument");
    expect(answer.message).toContain('unknown field "episodId"');
  });
});

describe("JSON streams: gRPC-Web, gRPC and Connect", () => {
  const json = (value: unknown): Uint8Array => frame(new TextEncoder().encode(JSON.stringify(value)));

  it("refuses an unknown field of a server stream's request (gRPC-Web JSON)", async () => {
    const episodeId = await resetEasy();
    const answer = await grpcWeb(
      server.baseUrl,
      "StreamLogs",
      json({ episodeId, servces: ["postgres-db"] }),
      "application/grpc-web+json",
      3_000,
    );
    expect(answer.code).toBe(Code.InvalidArgument);
    expect(answer.message).toContain('unknown field "servces"');
    const valid = await grpcWeb(
      server.baseUrl,
      "StreamLogs",
      json({ episodeId, services: ["postgres-db"] }),
      "application/grpc-web+json",
      1_000,
    );
    expect(valid.message).toBe(STILL_STREAMING);
  });

  it("refuses an unknown field of an Interact message (gRPC JSON over h2c) without consuming a step", async () => {
    const episodeId = await resetEasy();
    const body = json({ requestId: "1", step: { episodeId, action: { actionType: "inspect", targetSevice: "postgres-db" } } });
    const answer = await grpc(server.baseUrl, "Interact", body, "application/grpc+json");
    expect(answer.code).toBe(Code.InvalidArgument);
    expect(answer.message).toContain('step.action.targetSevice: unknown field "targetSevice"');
    expect(await stepCount(episodeId)).toBe(0);
  });

  it("refuses an undefined enum value sent by the typed Connect client in JSON (unary and Interact)", async () => {
    const client = createClient(
      IncidentEnvService,
      createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "2", useBinaryFormat: false }),
    );
    const good = await client.reset({ taskLevel: TaskLevel.HARD, seed: 5 });
    expect(good.observation?.taskLevel).toBe(TaskLevel.HARD);
    const refused = await client.reset({ taskLevel: 42 as TaskLevel }).catch((e: unknown) => ConnectError.from(e));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.InvalidArgument);
    expect((refused as ConnectError).rawMessage).toMatch(/^taskLevel: 42 is not one of/);

    async function* requests() {
      yield {
        request: {
          case: "step" as const,
          value: { episodeId: good.episodeId, action: { actionType: 77 as ActionType, targetService: "x" } },
        },
      };
    }
    const session = (async () => {
      for await (const response of client.interact(requests())) void response;
    })();
    const error = await session.then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toMatch(/step\.action\.actionType: 77 is not one of/);
    const state = await client.getState({ episodeId: good.episodeId });
    expect(state.state?.stepCount).toBe(0);
    void ActionType.INSPECT;
  });
});
