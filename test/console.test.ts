/**
 * The incident console (/console, issue 12) in a real browser: Debian's chromium driven by
 * playwright-core against the real server on port 0. It lists live episodes with who plays them,
 * plays an easy episode to the end through the forms generated from the action schema (the score
 * shown is the server's), follows an episode another client steps over gRPC, records a trajectory
 * that the CLI's replay reproduces byte for byte, and replays a trajectory with its scrubber; at
 * 1280×800 and on a narrow window, every control labelled and reachable from the keyboard.
 *
 * Without /usr/bin/chromium the tests skip (apt-get install chromium), unless
 * REQUIRE_CLIENT_TOOLCHAINS=1 (.ci/run), where they fail. CONSOLE_SCREENSHOTS=1 also writes the
 * README's screenshots (docs/console-*.png).
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { replayFile } from "../src/eval/replay.js";
import { ApiKeys } from "../src/server/api-keys.js";
import { buildConsole } from "../tools/build-console.js";
import { requireToolchain } from "./support/python-toolchain.js";
import { http, useServer } from "./support/server.js";

const CHROMIUM = "/usr/bin/chromium";
const chromiumMissing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found`;
const needChromium = (ctx: TestContext): void =>
  requireToolchain(ctx, "chromium (the console's browser tests)", chromiumMissing, "chromium");
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === "1";
const DOCS = join(import.meta.dirname, "..", "docs");
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };
const UI_TIMEOUT = 20_000;

let browser: Browser | undefined;
const downloads = mkdtempSync(join(tmpdir(), "console-test-"));
/** The console built by this file for its servers, apart from dist/ (which test/packaging.test.ts rebuilds meanwhile). */
const consoleDir = join(downloads, "console-assets");
beforeAll(async () => {
  await buildConsole(consoleDir);
  if (chromiumMissing === undefined) browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  rmSync(downloads, { recursive: true, force: true });
});

async function open(baseUrl: string, hash: string, viewport = WIDE): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await (browser as Browser).newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/console/${hash}`);
  return { context, page, errors };
}

/** Controls without an accessible name (a label, aria-label or aria-labelledby, or a button's text). */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((el) => {
        const id = el.getAttribute("id");
        const labelled = (id !== null && document.querySelector(`label[for="${CSS.escape(id)}"]`) !== null) || el.closest("label") !== null;
        const named = el.getAttribute("aria-label") !== null || el.getAttribute("aria-labelledby") !== null;
        const text = el.tagName === "BUTTON" && (el.textContent ?? "").trim() !== "";
        return !(labelled || named || text);
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** Whether the page is wider than the window (a narrow window must not scroll sideways). */
async function overflowsSideways(page: Page): Promise<boolean> {
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.closest(".table-wrap") === null)
      .slice(0, 5)
      .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
  );
  if (wide.length > 0) console.warn(`wider than the window: ${wide.join(", ")}`);
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

async function chooseAction(
  page: Page,
  fields: { type: string; target?: string; reasoning?: string; severity?: string; faultKind?: string },
): Promise<void> {
  await page.selectOption("#f-action-action_type", fields.type);
  await page.selectOption("#f-action-fault_kind", fields.faultKind ?? "");
  await page.fill("#f-action-reasoning", fields.reasoning ?? "");
  await page.fill("#f-action-target_service", fields.target ?? "");
  if (fields.severity !== undefined) await page.selectOption("#f-action-severity_assessment", fields.severity);
  await page.getByRole("button", { name: "Take action" }).click();
}

describe("the incident console", () => {
  const server = useServer({}, { consoleDir });
  let recorded: string | undefined;

  it("lists the live episodes with level, scenario, step, status and who plays them", async (ctx) => {
    needChromium(ctx);
    const grpc = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    await grpc.reset({ episodeId: "listed-grpc", taskLevel: TaskLevel.MEDIUM, seed: 11 });
    await http(server.baseUrl, "POST", "/reset", { episode_id: "listed-rest", seed: 12 });
    const { context, page, errors } = await open(server.baseUrl, "");
    try {
      const row = page.locator('tr[data-episode="listed-grpc"]');
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await row.innerText()).toMatch(/listed-grpc\s+medium\s+\S+\s+0 \/ \d+\s+0\.0000\s+running\s+open\s+an agent over grpc/);
      await expect
        .poll(() => page.locator('tr[data-episode="listed-rest"] td[data-transport]').getAttribute("data-transport"), {
          timeout: UI_TIMEOUT,
        })
        .toBe("rest");
      // Refreshed live: a step taken now shows without reloading.
      await grpc.step({ episodeId: "listed-grpc", action: { actionType: ActionType.ESCALATE, reasoning: "paging" } });
      await expect.poll(() => row.innerText(), { timeout: UI_TIMEOUT }).toMatch(/1 \/ \d+/);
      expect(await unlabelled(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("plays an easy episode to the end through the forms; the score shown is the server's, and the recording replays byte for byte", async (ctx) => {
    needChromium(ctx);
    const { context, page, errors } = await open(server.baseUrl, "#/play");
    try {
      await page.locator("#play-scenario option").nth(1).waitFor({ state: "attached", timeout: UI_TIMEOUT });
      await page.selectOption("#play-level", "easy");
      await page.fill("#play-seed", "5");
      await page.getByRole("button", { name: "Start episode" }).click();
      await page.locator("#f-action-action_type").waitFor({ timeout: UI_TIMEOUT });
      const episodeId = decodeURIComponent(new URL(page.url()).hash.replace("#/episode/", ""));
      // The person playing here knows the answer (the test reads the hidden record, as the oracle agent does), so the grade shown is a real one.
      const { root, fault } = server.env.episodeRecord(episodeId).spec;
      await page.locator("#graph canvas").first().waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => page.locator(".spark svg").count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
      expect(await unlabelled(page)).toEqual([]);
      if (SCREENSHOTS) await page.screenshot({ path: join(DOCS, "console-start.png"), fullPage: true });

      // A bad action is refused by the server's validation and shown; nothing is recorded.
      await chooseAction(page, { type: "inspect", target: "x".repeat(200) });
      await expect.poll(() => page.getByRole("alert").filter({ hasText: "invalid_argument" }).count(), { timeout: UI_TIMEOUT }).toBe(1);
      expect(await page.getByTestId("recorded").innerText()).toBe("0 steps recorded");

      await chooseAction(page, { type: "escalate", severity: "P2", reasoning: "customers see errors; paging the owning team" });
      await page.locator('tr[data-step="1"]').waitFor({ timeout: UI_TIMEOUT });
      // A reload keeps playing and recording (the recording lives in the tab's sessionStorage).
      await page.reload();
      await page.locator('tr[data-step="1"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId("recorded").innerText()).toBe("1 step recorded");
      await chooseAction(page, { type: "inspect", target: root, reasoning: `checking ${root}` });
      await page.locator('tr[data-step="2"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.locator('tr[data-step="2"]').innerText()).toContain(`checking ${root}`);
      if (SCREENSHOTS) await page.screenshot({ path: join(DOCS, "console-mid.png"), fullPage: true });
      await chooseAction(page, { type: "diagnose", target: root, faultKind: fault.kind, reasoning: `${root}: ${fault.title}` });
      await page.getByTestId("grade").waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => page.getByTestId("recorded").innerText(), { timeout: UI_TIMEOUT }).toBe("3 steps recorded, episode over");

      const state = (await http(server.baseUrl, "GET", `/state?episode_id=${episodeId}`)).json as {
        total_reward: number;
        status: string;
        done: boolean;
        grade: { components: unknown[] };
      };
      expect(state.done).toBe(true);
      expect(state.total_reward).toBeGreaterThan(0);
      await expect
        .poll(async () => Number(await page.getByTestId("score").getAttribute("data-value")), { timeout: UI_TIMEOUT })
        .toBe(state.total_reward);
      expect(await page.getByTestId("score").innerText()).toBe(state.total_reward.toFixed(4));
      await expect.poll(() => page.getByTestId("status").innerText(), { timeout: UI_TIMEOUT }).toBe(state.status.replace(/_/g, " "));
      expect(await page.locator("[data-testid=grade] tbody tr").count()).toBe(state.grade.components.length);
      expect(await page.getByRole("button", { name: "Take action" }).isDisabled()).toBe(true);
      if (SCREENSHOTS) await page.screenshot({ path: join(DOCS, "console-end.png"), fullPage: true });

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download trajectory (JSONL)" }).click(),
      ]);
      const file = join(downloads, "played.jsonl");
      await download.saveAs(file);
      const summary = await replayFile(file);
      expect(summary).toMatchObject({ episodes: 1, steps: 3, mismatches: [], erroredEpisodes: 0 });
      const trajectory = JSON.parse(readFileSync(file, "utf8")) as {
        agent: string;
        score: number;
        seed: number;
        steps: { action: { action_type: string } }[];
      };
      expect(trajectory.agent).toBe("human");
      expect(trajectory.seed).toBe(5);
      expect(trajectory.score).toBe(state.total_reward);
      expect(trajectory.steps.map((s) => s.action.action_type)).toEqual(["escalate", "inspect", "diagnose"]);
      recorded = file;
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("plays typed remediations, runbooks and postmortems through the nested fields of the generated form", async (ctx) => {
    needChromium(ctx);
    const { context, page, errors } = await open(server.baseUrl, "#/play");
    try {
      await page.locator("#play-scenario option").nth(1).waitFor({ state: "attached", timeout: UI_TIMEOUT });
      await page.selectOption("#play-level", "hard");
      await page.fill("#play-seed", "21");
      await page.getByRole("button", { name: "Start episode" }).click();
      await page.locator("#f-action-action_type").waitFor({ timeout: UI_TIMEOUT });
      const episodeId = decodeURIComponent(new URL(page.url()).hash.replace("#/episode/", ""));
      const { root } = server.env.episodeRecord(episodeId).spec;
      // A typed fix: remediation.kind and a parameter map, folded in a <details>.
      await page.selectOption("#f-action-action_type", "apply_fix");
      await page.fill("#f-action-target_service", root);
      await page.locator("summary", { hasText: "Remediation" }).click();
      await page.selectOption("#f-action-remediation-kind", "restart");
      await page.fill("#f-action-remediation-parameters", "replicas=2");
      await page.getByRole("button", { name: "Take action" }).click();
      await page.locator('tr[data-step="1"]').waitFor({ timeout: UI_TIMEOUT });
      // A runbook, one step per line.
      await page.selectOption("#f-action-action_type", "write_runbook");
      await page.locator("summary", { hasText: "Runbook steps" }).click();
      await page.fill("#f-action-runbook_steps", `Check the error rate of ${root}.\nRestart ${root} if it is stuck.`);
      await page.getByRole("button", { name: "Take action" }).click();
      await page.locator('tr[data-step="2"]').waitFor({ timeout: UI_TIMEOUT });
      // A postmortem, section by section.
      await page.selectOption("#f-action-action_type", "write_postmortem");
      await page.locator("summary", { hasText: "Postmortem sections" }).click();
      await page.fill("#f-action-postmortem_sections-summary", `${root} failed and was restarted.`);
      await page.fill("#f-action-postmortem_sections-root_cause", `${root} stopped answering.`);
      await page.getByRole("button", { name: "Take action" }).click();
      await page.locator('tr[data-step="3"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await unlabelled(page)).toEqual([]);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download trajectory (JSONL)" }).click(),
      ]);
      const file = join(downloads, "typed.jsonl");
      await download.saveAs(file);
      const trajectory = JSON.parse(readFileSync(file, "utf8")) as { steps: { action: Record<string, unknown> }[] };
      expect(trajectory.steps.map((s) => s.action)).toEqual([
        { action_type: "apply_fix", target_service: root, remediation: { kind: "restart", parameters: { replicas: "2" } } },
        { action_type: "write_runbook", runbook_steps: [`Check the error rate of ${root}.`, `Restart ${root} if it is stuck.`] },
        {
          action_type: "write_postmortem",
          postmortem_sections: { summary: `${root} failed and was restarted.`, root_cause: `${root} stopped answering.` },
        },
      ]);
      expect(await replayFile(file)).toMatchObject({ episodes: 1, steps: 3, mismatches: [] });
      const state = (await http(server.baseUrl, "GET", `/state?episode_id=${episodeId}`)).json as {
        step_count: number;
        task_level: string;
      };
      expect(state).toMatchObject({ step_count: 3, task_level: "hard" });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("follows an episode another client steps over gRPC, each step as it happens", async (ctx) => {
    needChromium(ctx);
    const grpc = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const reset = await grpc.reset({ episodeId: "followed", taskLevel: TaskLevel.EASY, seed: 8 });
    const services = reset.observation?.topology?.services.map((s) => s.name) ?? [];
    const { context, page, errors } = await open(server.baseUrl, "#/episode/followed");
    try {
      await page.locator("#graph canvas").first().waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => page.locator("dd").filter({ hasText: "an agent over grpc" }).count(), { timeout: UI_TIMEOUT }).toBe(1);
      expect(await page.locator("#f-action-action_type").count()).toBe(0); // read-only: this tab did not start it
      // Each service is coloured by its anomalous golden signals: none, one, more.
      const anomalous = new Map<string, number>();
      for (const m of reset.observation?.metrics ?? [])
        anomalous.set(m.serviceName, (anomalous.get(m.serviceName) ?? 0) + (m.isAnomalous ? 1 : 0));
      const expected = services.map((s) => `${s}:${Math.min(2, anomalous.get(s) ?? 0)}`);
      expect(expected.some((e) => !e.endsWith(":0"))).toBe(true);
      await expect
        .poll(
          () =>
            page.evaluate(() =>
              [...document.querySelectorAll("li[data-health]")].map(
                (li) => `${(li.textContent ?? "").split(" ")[0]}:${li.getAttribute("data-health")}`,
              ),
            ),
          { timeout: UI_TIMEOUT },
        )
        .toEqual(expected);
      for (const [i, service] of services.slice(0, 3).entries()) {
        await grpc.step({
          episodeId: "followed",
          action: { actionType: ActionType.INSPECT, targetService: service, reasoning: `looking at ${service}` },
        });
        const row = page.locator(`tr[data-step="${i + 1}"]`);
        await row.waitFor({ timeout: UI_TIMEOUT });
        expect(await row.innerText()).toContain(`inspect → ${service}`);
        await expect.poll(() => row.innerText(), { timeout: UI_TIMEOUT }).toContain(`looking at ${service}`);
        await expect.poll(() => page.getByTestId("step").innerText(), { timeout: UI_TIMEOUT }).toMatch(new RegExp(`^${i + 1} / `));
      }
      // What the last inspect found is shown, as the agent saw it.
      await expect.poll(() => page.getByTestId("inspection").innerText(), { timeout: UI_TIMEOUT }).toContain(services[2] ?? "");
      // The clock moved with the steps and the log tail follows the stream.
      expect(await page.getByTestId("clock").innerText()).not.toBe("0 min");
      expect(await page.locator(".logs li").count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.for([
    ["1280×800", WIDE],
    ["a narrow window", NARROW],
  ] as const)("replays a trajectory with the scrubber, from the keyboard, at %s", async ([, viewport], ctx) => {
    needChromium(ctx);
    expect(recorded, "the play test records the trajectory").toBeDefined();
    const { context, page, errors } = await open(server.baseUrl, "#/replay", viewport);
    try {
      await page.setInputFiles("#replay-file", recorded ?? "");
      await expect.poll(() => page.getByTestId("replay-position").innerText(), { timeout: UI_TIMEOUT }).toBe("step 0 of 3");
      expect(await page.locator("tr[data-step]").count()).toBe(0);
      await page.focus("#replay-step");
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => page.getByTestId("replay-position").innerText()).toBe("step 1 of 3");
      expect(await page.locator("tr[data-step]").count()).toBe(1);
      await page.keyboard.press("End");
      await expect.poll(() => page.getByTestId("replay-position").innerText()).toBe("step 3 of 3");
      await page.getByTestId("grade").waitFor({ timeout: UI_TIMEOUT });
      const trajectory = JSON.parse(readFileSync(recorded ?? "", "utf8")) as { score: number };
      expect(Number(await page.getByTestId("score").getAttribute("data-value"))).toBe(trajectory.score);
      await page.getByRole("button", { name: "Previous step" }).click();
      expect(await page.getByTestId("replay-position").innerText()).toBe("step 2 of 3");
      expect(await page.getByTestId("grade").isHidden()).toBe(true);
      expect(await unlabelled(page)).toEqual([]);
      expect(await overflowsSideways(page)).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("works on a narrow window and from the keyboard: tabbing reaches the navigation and the action form", async (ctx) => {
    needChromium(ctx);
    await http(server.baseUrl, "POST", "/reset", { episode_id: "narrow", seed: 4 });
    const { context, page, errors } = await open(server.baseUrl, "#/play", NARROW);
    try {
      await page.locator("#play-scenario option").nth(1).waitFor({ state: "attached", timeout: UI_TIMEOUT });
      expect(await overflowsSideways(page)).toBe(false);
      // Keyboard only: the level, then Start.
      await page.focus("#play-level");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("play-scenario");
      await page.focus("#play-seed");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.locator("#f-action-action_type").waitFor({ timeout: UI_TIMEOUT });
      await page.locator("#graph canvas").first().waitFor({ timeout: UI_TIMEOUT });
      expect(await overflowsSideways(page)).toBe(false);
      expect(await unlabelled(page)).toEqual([]);
      await page.focus("#f-action-action_type");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-action-reasoning");
      await page.goto(`${server.baseUrl}/console/`);
      await page.locator('tr[data-episode="narrow"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await overflowsSideways(page)).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("the incident console when the event stream is refused", () => {
  const server = useServer({ streamLimits: { maxSubscribersPerEpisode: 1 } }, { consoleDir });

  it("says so and follows the episode by polling its state", async (ctx) => {
    needChromium(ctx);
    const grpc = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const reset = await grpc.reset({ episodeId: "crowded", seed: 6 });
    const service = reset.observation?.topology?.services[0]?.name ?? "";
    // Another client holds the episode's only stream slot.
    const holder = new AbortController();
    const held = (async () => {
      for await (const _ of grpc.streamEpisodeEvents({ episodeId: "crowded" }, { signal: holder.signal })) void _;
    })().catch(() => undefined);
    const { context, page, errors } = await open(server.baseUrl, "#/episode/crowded");
    try {
      await expect
        .poll(() => page.getByRole("alert").first().innerText(), { timeout: UI_TIMEOUT })
        .toMatch(/resource_exhausted: event stream refused.*polling/s);
      await grpc.step({
        episodeId: "crowded",
        action: { actionType: ActionType.INSPECT, targetService: service, reasoning: "first look" },
      });
      const row = page.locator('tr[data-step="1"]');
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await row.innerText()).toContain(`inspect → ${service}`);
      expect(await row.innerText()).toContain("first look");
      expect(errors).toEqual([]);
    } finally {
      holder.abort();
      await held;
      await context.close();
    }
  });
});

describe("the incident console with API keys", () => {
  const ALICE = "alice-token-0123456789abcdef";
  const BOB = "bob-token-0123456789abcdef00";
  const server = useServer(
    {},
    {
      consoleDir,
      apiKeys: new ApiKeys([
        { name: "alice", token: ALICE },
        { name: "bob", token: BOB },
      ]),
    },
  );

  it("asks for the key, keeps it for the tab, and shows only that key's episodes", async (ctx) => {
    needChromium(ctx);
    await http(server.baseUrl, "POST", "/reset", { episode_id: "alices" }, { authorization: `Bearer ${ALICE}` });
    await http(server.baseUrl, "POST", "/reset", { episode_id: "bobs" }, { authorization: `Bearer ${BOB}` });
    const { context, page, errors } = await open(server.baseUrl, "");
    try {
      await expect
        .poll(() => page.locator("main [role=status]").innerText(), { timeout: UI_TIMEOUT })
        .toMatch(/unauthenticated.*Enter an API key/);
      await page.fill("#api-key", BOB);
      await page.getByRole("button", { name: "Use key" }).click();
      await page.locator('tr[data-episode="bobs"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.locator('tr[data-episode="alices"]').count()).toBe(0);
      expect(await page.evaluate(() => sessionStorage.getItem("incident-console-api-key"))).toBe(BOB);
      // Another key's episode does not exist for this one: the view says not found.
      await page.goto(`${server.baseUrl}/console/#/episode/alices`);
      await expect.poll(() => page.getByRole("alert").first().innerText(), { timeout: UI_TIMEOUT }).toMatch(/not_found/);
      // Its own episode streams with the key sent as a Bearer header.
      await page.goto(`${server.baseUrl}/console/#/episode/bobs`);
      await page.locator("#graph canvas").first().waitFor({ timeout: UI_TIMEOUT });
      await http(
        server.baseUrl,
        "POST",
        "/step",
        { episode_id: "bobs", action: { action_type: "escalate", reasoning: "paging" } },
        { authorization: `Bearer ${BOB}` },
      );
      await page.locator('tr[data-step="1"]').waitFor({ timeout: UI_TIMEOUT });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("/console without a built console", () => {
  const server = useServer({}, { consoleDir: join(downloads, "not-built") });

  it("redirects /console to /console/ and answers 503 unavailable there with how to build it", async () => {
    const redirect = await fetch(`${server.baseUrl}/console`, { redirect: "manual" });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("location")).toBe("/console/");
    const page = await http(server.baseUrl, "GET", "/console/");
    expect(page.status).toBe(503);
    expect(page.json).toMatchObject({ code: "unavailable", message: expect.stringMatching(/npm run build/) });
  });
});
