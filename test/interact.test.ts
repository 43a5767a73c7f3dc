/**
 * Interact, the session RPC, through the real server on port 0 (episodes in the server's thread
 * and in a pool of two workers) over gRPC (h2c) and Connect (HTTP/2): one response per request,
 * in order, ids echoed; errors that do not end the session; the session's episode; requests of
 * other clients on the same episode in between; episodes that outlive the session.
 */
import { toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createAsyncIterable } from "@connectrpc/connect/protocol";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { ActionType, EpisodeStatus, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import {
  IncidentEnvService,
  ResetResponseSchema,
  StepResponseSchema,
  type InteractRequestSchema,
  type InteractResponse,
  type ResetResponse,
  type StepResponse,
} from "../gen/incident/v1/service_pb.js";
import { useServer, useWorkerServer, type RunningServer, type RunningPoolServer } from "./support/server.js";

type EnvClient = Client<typeof IncidentEnvService>;
type Request = MessageInitShape<typeof InteractRequestSchema>;

const servers: Record<string, RunningServer | RunningPoolServer> = {
  "in-thread": useServer(),
  "2 workers": useWorkerServer({ workers: 2 }),
};
const transports: Record<string, (baseUrl: string) => Transport> = {
  "gRPC (h2c)": (baseUrl) => createGrpcTransport({ baseUrl }),
  "Connect (HTTP/2)": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true }),
};
const cases = Object.entries(servers).flatMap(([where, server]) =>
  Object.entries(transports).map(([how, transport]) => ({ where, how, server, transport })),
);

/**
 * A session driven one request at a time: `send` writes a request and resolves with its response,
 * so a test can act between requests (call unary RPCs from another client, say).
 */
function openSession(client: EnvClient) {
  const waiting: ((request: Request | undefined) => void)[] = [];
  const queued: (Request | undefined)[] = [];
  const push = (request: Request | undefined): void => {
    const take = waiting.shift();
    if (take) take(request);
    else queued.push(request);
  };
  async function* requests(): AsyncGenerator<Request> {
    for (;;) {
      const next = queued.length > 0 ? queued.shift() : await new Promise<Request | undefined>((resolve) => waiting.push(resolve));
      if (next === undefined) return;
      yield next;
    }
  }
  const responses = client.interact(requests())[Symbol.asyncIterator]();
  return {
    async send(request: Request): Promise<InteractResponse> {
      push(request);
      const next = await responses.next();
      if (next.done) throw new Error("the session ended early");
      return next.value;
    },
    /** Ends the client's side; resolves when the server has ended the stream. */
    async end(): Promise<void> {
      push(undefined);
      const next = await responses.next();
      if (!next.done) throw new Error(`unexpected response after the end: ${next.value.response.case}`);
    },
  };
}

function value<Case extends NonNullable<InteractResponse["response"]["case"]>>(response: InteractResponse, wanted: Case) {
  const { response: oneof } = response;
  if (oneof.case !== wanted) throw new Error(`expected ${wanted}, got ${oneof.case}: ${JSON.stringify(oneof.value)}`);
  return oneof.value as Extract<InteractResponse["response"], { case: Case }>["value"];
}

function resetBytes(response: ResetResponse): Uint8Array {
  const state = response.state ? { ...response.state, episodeId: "" } : undefined;
  return toBinary(ResetResponseSchema, { ...response, episodeId: "", ...(state ? { state } : {}) });
}
function stepBytes(response: StepResponse): Uint8Array {
  return toBinary(StepResponseSchema, { ...response, episodeId: "" });
}

describe.each(cases)("Interact, episodes $where, over $how", ({ where, how, server, transport }) => {
  const tag = `${where}-${how}`.replace(/[^A-Za-z0-9]+/g, "-");
  const client = (): EnvClient => createClient(IncidentEnvService, transport(server.baseUrl));

  it("answers pipelined requests in order with their ids, as the unary RPCs answer them", async () => {
    const episodeId = `pipe-${tag}`;
    const requests: Request[] = [
      { requestId: 10n, request: { case: "reset", value: { taskLevel: TaskLevel.MEDIUM, seed: 17, episodeId } } },
      { requestId: 7n, request: { case: "observation", value: {} } },
      { requestId: 12n, request: { case: "step", value: { action: { actionType: ActionType.ESCALATE, reasoning: "paging the owners" } } } },
      { requestId: 12n, request: { case: "step", value: { action: { actionType: ActionType.RESOLVE } } } },
      { requestId: 2n ** 64n - 1n, request: { case: "state", value: {} } },
      { requestId: 0n, request: { case: "close", value: {} } },
    ];
    const answers: InteractResponse[] = [];
    for await (const response of client().interact(createAsyncIterable(requests))) answers.push(response);
    expect(answers.map((a) => [a.requestId, a.response.case])).toEqual([
      [10n, "reset"],
      [7n, "observation"],
      [12n, "step"],
      [12n, "step"],
      [2n ** 64n - 1n, "state"],
      [0n, "close"],
    ]);
    const unary = client();
    const reset = await unary.reset({ taskLevel: TaskLevel.MEDIUM, seed: 17, episodeId: `${episodeId}-unary` });
    expect(resetBytes(value(answers[0] as InteractResponse, "reset"))).toEqual(resetBytes(reset));
    expect(value(answers[1] as InteractResponse, "observation").episodeId).toBe(episodeId);
    const escalate = await unary.step({
      episodeId: `${episodeId}-unary`,
      action: { actionType: ActionType.ESCALATE, reasoning: "paging the owners" },
    });
    expect(stepBytes(value(answers[2] as InteractResponse, "step"))).toEqual(stepBytes(escalate));
    const resolve = await unary.step({ episodeId: `${episodeId}-unary`, action: { actionType: ActionType.RESOLVE } });
    expect(stepBytes(value(answers[3] as InteractResponse, "step"))).toEqual(stepBytes(resolve));
    expect(value(answers[4] as InteractResponse, "state").state).toMatchObject({ episodeId, stepCount: 2, done: true });
    expect(value(answers[5] as InteractResponse, "close").state?.episodeId).toBe(episodeId);
  });

  it("answers a failed request with an error and goes on", async () => {
    const session = openSession(client());
    const episodeId = `errors-${tag}`;
    value(
      await session.send({ requestId: 1n, request: { case: "reset", value: { taskLevel: TaskLevel.EASY, seed: 3, episodeId } } }),
      "reset",
    );
    const badEnum = value(
      await session.send({ requestId: 2n, request: { case: "step", value: { action: { actionType: 99 as ActionType } } } }),
      "error",
    );
    expect(badEnum).toMatchObject({ code: "invalid_argument", violations: [{ field: "action.action_type", rule: "enum.defined_only" }] });
    const noAction = value(await session.send({ requestId: 3n, request: { case: "step", value: {} } }), "error");
    expect(noAction.violations[0]).toMatchObject({ field: "action", rule: "required" });
    const nothing = await session.send({ requestId: 4n });
    expect(nothing.requestId).toBe(4n);
    expect(value(nothing, "error")).toMatchObject({ code: "invalid_argument", violations: [{ field: "request" }] });
    expect(
      value(await session.send({ requestId: 5n, request: { case: "state", value: { episodeId: "no-such-episode" } } }), "error").code,
    ).toBe("not_found");
    expect(
      value(await session.send({ requestId: 6n, request: { case: "reset", value: { scenarioId: "INC-NOPE-1" } } }), "error").code,
    ).toBe("invalid_argument");
    // The failed reset did not move the session: its episode is still the first one, untouched.
    const step = value(
      await session.send({ requestId: 7n, request: { case: "step", value: { action: { actionType: ActionType.RESOLVE } } } }),
      "step",
    );
    expect(step).toMatchObject({ episodeId, done: true });
    const after = value(
      await session.send({ requestId: 8n, request: { case: "step", value: { action: { actionType: ActionType.ESCALATE } } } }),
      "error",
    );
    expect(after.code).toBe("failed_precondition");
    expect(value(await session.send({ requestId: 9n, request: { case: "state", value: {} } }), "state").state?.stepCount).toBe(1);
    await session.end();
  });

  it("addresses the session's episode: none before a reset, a fresh one after a reset without an id, never the default episode", async () => {
    const unary = client();
    const byDefault = await unary.reset({ taskLevel: TaskLevel.EASY, seed: 90 });
    const named = `named-${tag}`;
    await unary.reset({ taskLevel: TaskLevel.EASY, seed: 91, episodeId: named });
    const session = openSession(client());

    const before = value(
      await session.send({ requestId: 1n, request: { case: "step", value: { action: { actionType: ActionType.ESCALATE } } } }),
      "error",
    );
    expect(before.code).toBe("failed_precondition");
    expect(value(await session.send({ requestId: 2n, request: { case: "observation", value: {} } }), "error").code).toBe(
      "failed_precondition",
    );
    // With an id, any episode is reachable, and it does not become the session's.
    expect(value(await session.send({ requestId: 3n, request: { case: "state", value: { episodeId: named } } }), "state").state?.seed).toBe(
      91,
    );
    expect(value(await session.send({ requestId: 4n, request: { case: "state", value: {} } }), "error").code).toBe("failed_precondition");

    const fresh = value(
      await session.send({ requestId: 5n, request: { case: "reset", value: { taskLevel: TaskLevel.EASY, seed: 92 } } }),
      "reset",
    );
    expect([byDefault.episodeId, named]).not.toContain(fresh.episodeId);
    value(await session.send({ requestId: 6n, request: { case: "step", value: { action: { actionType: ActionType.ESCALATE } } } }), "step");
    expect(value(await session.send({ requestId: 7n, request: { case: "state", value: {} } }), "state").state).toMatchObject({
      episodeId: fresh.episodeId,
      stepCount: 1,
    });
    expect((await unary.getState({})).state).toMatchObject({ episodeId: byDefault.episodeId, stepCount: 0 });

    // A reset with an id makes that episode the session's.
    value(
      await session.send({ requestId: 8n, request: { case: "reset", value: { taskLevel: TaskLevel.EASY, seed: 93, episodeId: named } } }),
      "reset",
    );
    expect(value(await session.send({ requestId: 9n, request: { case: "state", value: {} } }), "state").state).toMatchObject({
      episodeId: named,
      seed: 93,
    });
    await session.end();
  });

  it("interleaves with another client's unary calls on the same episode, and leaves its episodes open when it ends", async () => {
    const episodeId = `shared-${tag}`;
    const unary = client();
    const session = openSession(client());
    value(
      await session.send({ requestId: 1n, request: { case: "reset", value: { taskLevel: TaskLevel.MEDIUM, seed: 44, episodeId } } }),
      "reset",
    );
    await unary.step({ episodeId, action: { actionType: ActionType.ESCALATE, reasoning: "from the other client" } });
    expect(value(await session.send({ requestId: 2n, request: { case: "state", value: {} } }), "state").state?.stepCount).toBe(1);
    const step = value(
      await session.send({ requestId: 3n, request: { case: "step", value: { action: { actionType: ActionType.ESCALATE } } } }),
      "step",
    );
    expect(step.observation?.step).toBe(2);
    expect((await unary.getState({ episodeId })).state?.stepCount).toBe(2);
    await session.end();

    const state = (await unary.getState({ episodeId })).state;
    expect(state?.status).toBe(EpisodeStatus.RUNNING);
    // A new session picks the episode up by id.
    const again = openSession(client());
    expect(
      value(
        await again.send({ requestId: 1n, request: { case: "step", value: { episodeId, action: { actionType: ActionType.RESOLVE } } } }),
        "step",
      ).done,
    ).toBe(true);
    await again.end();
  });
});
