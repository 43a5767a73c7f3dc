/**
 * The curl flow of the original incident-response-env works unchanged: POST /reset with no body, POST /step with a bare action,
 * GET /state, all without an episode id, plus the content types curl sends by default.
 */
import { describe, expect, it } from "vitest";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

describe("the curl flow of the original incident-response-env", () => {
  it("reset with no body, a bare-action step, then state", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset");
    expect(reset.status).toBe(200);
    expect(dig(reset.json, "observation.step")).toBe(0);
    expect(dig(reset.json, "observation.current_incident_status")).toBe("open");
    expect(dig(reset.json, "observation.task_level")).toBe("easy");
    expect(dig(reset.json, "observation.previous_actions")).toEqual([]);
    expect(dig(reset.json, "observation.time_elapsed_minutes")).toBe(0);
    expect(dig(reset.json, "reward")).toBeNull();
    expect(dig(reset.json, "done")).toBe(false);
    expect(dig(reset.json, "observation.alert.severity")).toMatch(/^P[1-4]$/);

    // A diagnosis of a service the system does not have is refused, and costs no step (the original ended the episode with 0).
    const refused = await http(server.baseUrl, "POST", "/step", {
      action_type: "diagnose",
      reasoning: "checking the database first",
      target_service: "nonexistent-svc",
    });
    expect(refused.status).toBe(400);
    expect(dig(refused.json, "code")).toBe("invalid_argument");
    const service = String(dig(reset.json, "observation.topology.services.0.name"));
    const step = await http(server.baseUrl, "POST", "/step", {
      action_type: "diagnose",
      reasoning: "checking the database first",
      target_service: service,
    });
    expect(step.status).toBe(200);
    expect(Object.keys(step.json as object).sort()).toEqual(["done", "episode_id", "info", "observation", "reward"]);
    expect(dig(step.json, "episode_id")).toBe(dig(reset.json, "episode_id"));
    expect(typeof dig(step.json, "reward")).toBe("number");
    expect(dig(step.json, "info.task_level")).toBe("easy");
    expect(typeof dig(step.json, "info.total_episode_score")).toBe("number");
    expect(dig(step.json, "observation.previous_actions.0")).toBe(`[0m] diagnose on '${service}': checking the database first`);

    const state = await http(server.baseUrl, "GET", "/state");
    expect(state.status).toBe(200);
    expect(dig(state.json, "episode_id")).toBe(dig(reset.json, "episode_id"));
    expect(dig(state.json, "step_count")).toBe(1);
    expect(dig(state.json, "done")).toBe(true);
    expect(dig(state.json, "status")).toMatch(/^terminated_(success|failed)$/);
    expect(dig(state.json, "task_name")).toMatch(/^Incident_Response_easy_gen-easy-\d+$/);
  });

  it("accepts {} and an empty JSON body on reset, and the OpenEnv envelope on step", async () => {
    for (const body of ["{}", ""]) {
      const reset = await http(server.baseUrl, "POST", "/reset", body, { "content-type": "application/json" });
      expect(reset.status, reset.text).toBe(200);
      expect(dig(reset.json, "observation.task_level")).toBe("easy");
    }
    const step = await http(server.baseUrl, "POST", "/step", {
      action: { action_type: "escalate", reasoning: "paging the DB team", metadata: {} },
      timeout_s: 30,
      request_id: "r-1",
    });
    expect(step.status, step.text).toBe(200);
    expect(dig(step.json, "done")).toBe(false);
  });

  it("refuses curl -d's default form content type with 415 saying to send application/json (a page could send it cross-site)", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", '{"task_level":"EASY","seed":4}', {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(reset.status, reset.text).toBe(415);
    expect(String(dig(reset.json, "message"))).toContain("--json");
  });

  it("accepts enum words in any case and full proto names", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "TASK_LEVEL_EASY" });
    expect(reset.status).toBe(200);
    const step = await http(server.baseUrl, "POST", "/step", { action_type: "Escalate" });
    expect(step.status, step.text).toBe(200);
  });
});
