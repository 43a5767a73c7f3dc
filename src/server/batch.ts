/**
 * ResetBatch and StepBatch: Gymnasium's vector environment over the wire. One request carries the
 * resets, or the actions, of many episodes; the response has one result per item, in order, each
 * the item's response or its error. Connect/gRPC (connect-routes.ts) and the JSON routes
 * POST /reset/batch and /step/batch (rest-routes.ts) both go through the two functions below.
 *
 * The rules, in the order they apply:
 * - The batch as a whole holds 1 to MAX_BATCH_SIZE items; otherwise it is refused whole with
 *   invalid_argument and nothing runs. MAX_BODY_BYTES bounds a batch as it bounds any request.
 * - Each item is checked on its own: it parses (REST JSON), it satisfies its protovalidate rules,
 *   a step item names its episode (a batch has no default episode), and it names an episode that
 *   no earlier item of the batch kept: of the items that pass their own checks and name one
 *   episode, the first is served and the later ones get invalid_argument. (Two actions for one
 *   episode in one batch have no order the client could rely on; two resets of one id would hand
 *   back a first response for an episode the second already replaced.)
 * - A reset item without episode_id gets a fresh id here, before the environment sees it: a batch
 *   never creates or replaces the default episode.
 * - The items that pass go to the environment in one resetMany / stepMany call (the worker pool
 *   sends each worker one message for its share), and each gets its own outcome.
 * An item's error is the ErrorResponse the same request alone would have got on the REST routes:
 * the same code, message and violations, with field paths relative to the item.
 */
import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  ErrorResponseSchema,
  ResetBatchResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepResponseSchema,
  StepBatchResponseSchema,
  StepRequestSchema,
  type ResetBatchResponse,
  type ResetRequest,
  type ResetResponse,
  type StepBatchResponse,
  type StepRequest,
  type StepResponse,
} from "../../gen/incident/v1/service_pb.js";
import { canPreEncode, type EnvironmentApi, type Outcome } from "../env/api.js";
import { EnvError, asEnvError } from "../env/errors.js";
import type { Limits } from "../env/limits.js";
import { restJsonText } from "../json/rest-json-text.js";
import { errorResponse } from "./errors.js";
import { preEncoded } from "./pre-encoded.js";
import { validated } from "../json/validation.js";

/** Turns one item as the transport received it (a message, or REST JSON) into its request; throws EnvError. */
type ParseItem<Item, Request> = (item: Item) => Request;

/** Refuses an empty batch or one over MAX_BATCH_SIZE, naming the limit. */
function checkBatchSize(count: number, limits: Pick<Limits, "maxBatchSize">): void {
  if (count === 0) {
    throw new EnvError("invalid_argument", "a batch needs at least one item", [
      { field: "items", rule: "batch.min_items", message: "at least 1 item" },
    ]);
  }
  if (count > limits.maxBatchSize) {
    throw new EnvError("invalid_argument", `a batch holds at most MAX_BATCH_SIZE = ${limits.maxBatchSize} items, got ${count}; split it`, [
      { field: "items", rule: "batch.max_items", message: `at most ${limits.maxBatchSize} items (MAX_BATCH_SIZE)` },
    ]);
  }
}

/** Runs `check` on each item; an item it throws on keeps its error as its outcome. */
function checkEach<Item, Request>(items: readonly Item[], check: (item: Item) => Request): Outcome<Request>[] {
  return items.map((item): Outcome<Request> => {
    try {
      return { ok: true, value: check(item) };
    } catch (error) {
      return { ok: false, error: asEnvError(error) };
    }
  });
}

/** Fails every checked item that names an episode an earlier checked item already named. */
function refuseRepeatedEpisodes<Request extends { episodeId?: string }>(checked: Outcome<Request>[], verb: string): void {
  const firstItemOf = new Map<string, number>();
  checked.forEach((outcome, index) => {
    const id = outcome.ok ? outcome.value.episodeId : undefined;
    if (id === undefined) return;
    const first = firstItemOf.get(id);
    if (first === undefined) {
      firstItemOf.set(id, index);
      return;
    }
    checked[index] = {
      ok: false,
      error: new EnvError(
        "invalid_argument",
        `items[${first}] of this batch already ${verb} episode "${id}"; a batch takes one item per episode`,
        [{ field: "episode_id", rule: "batch.unique_episode", message: `the same episode as items[${first}]` }],
      ),
    };
  });
}

/**
 * Sends the items that passed their checks to the environment in one call and puts each outcome
 * back at its item's place.
 */
async function runChecked<Request, Response>(
  checked: readonly Outcome<Request>[],
  runMany: (requests: Request[]) => Promise<Outcome<Response>[]>,
): Promise<Outcome<Response>[]> {
  const places: number[] = [];
  const requests: Request[] = [];
  checked.forEach((outcome, index) => {
    if (outcome.ok) {
      places.push(index);
      requests.push(outcome.value);
    }
  });
  const answers = requests.length > 0 ? await runMany(requests) : [];
  const outcomes = checked.map((outcome): Outcome<Response> => {
    if (!outcome.ok) return outcome;
    return { ok: false, error: new EnvError("internal", "the environment gave no answer for this item") };
  });
  places.forEach((place, k) => {
    const answer = answers[k];
    if (answer) outcomes[place] = answer;
  });
  return outcomes;
}

/** A batch result's oneof: the response, or the ErrorResponse of the item's error. */
function result<T>(outcome: Outcome<T>) {
  return outcome.ok
    ? { result: { case: "response" as const, value: outcome.value } }
    : { result: { case: "error" as const, value: errorResponse(outcome.error) } };
}

/** The reset items, each checked (or failed) on its own; throws if the batch's size is out of bounds. */
function checkResets<Item>(env: EnvironmentApi, items: readonly Item[], parse: ParseItem<Item, ResetRequest>): Outcome<ResetRequest>[] {
  checkBatchSize(items.length, env.limits);
  const checked = checkEach(items, (item) => {
    const request = validated(ResetRequestSchema, parse(item));
    return request.episodeId === undefined ? { ...request, episodeId: randomUUID() } : request;
  });
  refuseRepeatedEpisodes(checked, "resets");
  return checked;
}

/** The step items, each checked (or failed) on its own; throws if the batch's size is out of bounds. */
function checkSteps<Item>(env: EnvironmentApi, items: readonly Item[], parse: ParseItem<Item, StepRequest>): Outcome<StepRequest>[] {
  checkBatchSize(items.length, env.limits);
  const checked = checkEach(items, (item) => {
    const request = validated(StepRequestSchema, parse(item));
    if (request.episodeId === undefined) {
      throw new EnvError("invalid_argument", "every item of a step batch names its episode_id (a batch never steps the default episode)", [
        { field: "episode_id", rule: "batch.episode_id", message: "required in a batch" },
      ]);
    }
    return request;
  });
  refuseRepeatedEpisodes(checked, "steps");
  return checked;
}

/**
 * Starts an episode per item: one result per item, in order. `binary`: the client reads protobuf
 * binary, so an environment in worker threads may hand the responses over already encoded.
 */
export async function resetBatch<Item>(
  env: EnvironmentApi,
  items: readonly Item[],
  parse: ParseItem<Item, ResetRequest>,
  binary = false,
): Promise<ResetBatchResponse> {
  const checked = checkResets(env, items, parse);
  if (binary && canPreEncode(env)) {
    const encoded = await runChecked(checked, (requests) => env.resetManyEncoded(requests, "binary"));
    return create(ResetBatchResponseSchema, {
      results: encoded.map((o) => result(o.ok ? { ok: true, value: preEncoded(ResetResponseSchema, o.value) } : o)),
    });
  }
  const outcomes = await runChecked<ResetRequest, ResetResponse>(checked, async (requests) => env.resetMany(requests));
  return create(ResetBatchResponseSchema, { results: outcomes.map(result) });
}

/** Takes one action in each item's episode: one result per item, in order. `binary` as for resetBatch. */
export async function stepBatch<Item>(
  env: EnvironmentApi,
  items: readonly Item[],
  parse: ParseItem<Item, StepRequest>,
  binary = false,
): Promise<StepBatchResponse> {
  const checked = checkSteps(env, items, parse);
  if (binary && canPreEncode(env)) {
    const encoded = await runChecked(checked, (requests) => env.stepManyEncoded(requests, "binary"));
    return create(StepBatchResponseSchema, {
      results: encoded.map((o) => result(o.ok ? { ok: true, value: preEncoded(StepResponseSchema, o.value) } : o)),
    });
  }
  const outcomes = await runChecked<StepRequest, StepResponse>(checked, async (requests) => env.stepMany(requests));
  return create(StepBatchResponseSchema, { results: outcomes.map(result) });
}

/**
 * The REST JSON text of a batch's results. Items answered as REST JSON text by worker threads are
 * joined as they are; the text is the same as writing the decoded response.
 */
function resultsText(outcomes: readonly Outcome<string>[]): string {
  const results = outcomes.map((o) =>
    o.ok ? `{"response":${o.value}}` : `{"error":${restJsonText(ErrorResponseSchema, errorResponse(o.error))}}`,
  );
  return `{"results":[${results.join(",")}]}`;
}

/** ResetBatch for the JSON route: the response as REST JSON text. */
export async function resetBatchText<Item>(
  env: EnvironmentApi,
  items: readonly Item[],
  parse: ParseItem<Item, ResetRequest>,
): Promise<string> {
  if (!canPreEncode(env)) return restJsonText(ResetBatchResponseSchema, await resetBatch(env, items, parse));
  const checked = checkResets(env, items, parse);
  return resultsText(await runChecked(checked, (requests) => env.resetManyEncoded(requests, "rest-json")));
}

/** StepBatch for the JSON route: the response as REST JSON text. */
export async function stepBatchText<Item>(
  env: EnvironmentApi,
  items: readonly Item[],
  parse: ParseItem<Item, StepRequest>,
): Promise<string> {
  if (!canPreEncode(env)) return restJsonText(StepBatchResponseSchema, await stepBatch(env, items, parse));
  const checked = checkSteps(env, items, parse);
  return resultsText(await runChecked(checked, (requests) => env.stepManyEncoded(requests, "rest-json")));
}
