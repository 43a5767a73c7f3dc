/**
 * The episode view: summary (level, scenario, step, score, status, incident, clock), the topology
 * coloured by health (Cytoscape.js), golden-signal sparklines per service, alerts, the log tail,
 * the actions in order with rewards and reasoning, and at the end the explained grade.
 */
import cytoscape from "cytoscape";
import { formatScore, h, replaceChildren } from "./dom.js";
import { METRIC_NAMES, type EpisodeModel, type Grade, type Inspection, type KbArticle } from "./model.js";
import { sparkline } from "./sparkline.js";

const HEALTH_COLOURS = ["#2ea043", "#d29922", "#f85149"] as const;
const HEALTH_WORDS = ["healthy", "one anomalous signal", "several anomalous signals"] as const;

export class EpisodeView {
  readonly root: HTMLElement;
  /** Where a mode adds its own panel (play form, replay scrubber). */
  readonly controls: HTMLElement;
  private readonly summary = h("dl", { class: "summary", "aria-label": "Episode summary" });
  private readonly graph = h("div", { id: "graph", role: "img", "aria-label": "Service topology" });
  private readonly graphText = h("ul", { class: "visually-hidden", "aria-label": "Services and their health" });
  private readonly alerts = h("ul", { class: "alerts" });
  private readonly feedback = h("p", { "data-testid": "feedback" });
  private readonly sparks = h("div", { class: "sparks" });
  private readonly logs = h("ol", { class: "logs", role: "log", "aria-label": "Log tail", tabindex: 0 });
  private readonly actions = h("tbody");
  private readonly inspection = h("div", { "data-testid": "inspection" });
  private readonly knowledge = h("div");
  private knowledgeKey = "";
  private readonly gradePanel = h("section", { class: "panel wide", "aria-labelledby": "h-grade", hidden: true, "data-testid": "grade" });
  private cy: cytoscape.Core | undefined;
  private topologyKey = "";

  constructor(title: string) {
    this.controls = h("div", { class: "controls" });
    const panel = (id: string, heading: string, ...body: (Node | string)[]): HTMLElement =>
      h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, heading), ...body);
    const legend = h(
      "p",
      { class: "legend" },
      ...HEALTH_COLOURS.map((colour, i) =>
        h("span", {}, h("span", { class: "dot", style: `background:${colour}`, "aria-hidden": "true" }), HEALTH_WORDS[i]),
      ),
    );
    this.root = h(
      "section",
      { class: "episode" },
      h("h1", { tabindex: -1 }, title),
      this.summary,
      h(
        "div",
        { class: "grid" },
        this.gradePanel,
        panel("h-topology", "Topology", this.graph, legend, this.graphText),
        this.controls,
        panel("h-alerts", "Alerts", this.alerts, h("h2", {}, "Last feedback"), this.feedback),
        panel(
          "h-actions",
          "Actions",
          h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { class: "actions" },
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  h("th", { scope: "col" }, "#"),
                  h("th", { scope: "col" }, "Action"),
                  h("th", { scope: "col" }, "Reward"),
                  h("th", { scope: "col" }, "Reasoning and feedback"),
                ),
              ),
              this.actions,
            ),
          ),
        ),
        h("section", { class: "panel wide", "aria-labelledby": "h-signals" }, h("h2", { id: "h-signals" }, "Golden signals"), this.sparks),
        panel("h-logs", "Log tail", this.logs),
        panel("h-inspection", "Last inspection", this.inspection),
        panel("h-kb", "Knowledge base", this.knowledge),
      ),
    );
  }

  update(model: EpisodeModel, playedBy?: string): void {
    this.drawSummary(model, playedBy);
    this.drawTopology(model);
    replaceChildren(
      this.alerts,
      ...(model.alerts.length === 0
        ? [h("li", {}, "No active alerts")]
        : model.alerts.map((a) => h("li", { class: `sev-${a.severity}` }, `${a.severity} ${a.title}: ${a.description}`))),
    );
    this.feedback.textContent = model.feedback || "—";
    this.drawSparks(model);
    this.drawLogs(model);
    replaceChildren(
      this.actions,
      ...model.actions.map((a) =>
        h(
          "tr",
          { "data-step": a.step },
          h("td", {}, a.step),
          h("td", {}, `${a.actionType}${a.target ? ` → ${a.target}` : ""}`),
          h("td", { "data-value": a.reward }, formatScore(a.reward)),
          h(
            "td",
            { class: "reasoning" },
            a.reasoning ? h("div", {}, a.reasoning) : null,
            a.feedback ? h("div", { class: "hint" }, a.feedback) : null,
          ),
        ),
      ),
    );
    this.drawGrade(model.done ? model.grade : null, model.score);
    this.drawInspection(model.inspection);
    this.drawKnowledge(model.kbArticles);
  }

  private drawInspection(inspection: Inspection | null): void {
    if (!inspection) {
      replaceChildren(
        this.inspection,
        h(
          "p",
          { class: "hint" },
          "Nothing inspected yet: inspect a service to see its metrics over time, dependencies, changes, logs and a trace.",
        ),
      );
      return;
    }
    const series = inspection.series.map((s) => {
      const values = s.points.map((p) => p.value);
      const last = values[values.length - 1] ?? 0;
      const figure = h("figure", {}, h("figcaption", {}, `${s.metric_name} ${last} ${s.unit}`));
      figure.appendChild(
        sparkline(inspection.service, s.metric_name, {
          unit: s.unit,
          threshold: s.threshold,
          anomalous: s.threshold > 0 && last > s.threshold,
          values,
        }),
      );
      return h("div", { class: `spark${s.threshold > 0 && last > s.threshold ? " anomalous" : ""}` }, figure);
    });
    const trace = inspection.trace;
    replaceChildren(
      this.inspection,
      h(
        "p",
        {},
        h("strong", {}, inspection.service),
        ` (${inspection.kind}${inspection.role ? `, ${inspection.role}` : ""}) version ${inspection.version || "?"}, ${inspection.replicas} replicas, ${inspection.zone || "?"}; minute ${inspection.taken_at_minute}`,
      ),
      series.length > 0 ? h("div", { class: "inspect-series" }, ...series) : null,
      inspection.dependencies.length > 0
        ? h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { "aria-label": "Dependencies" },
              h("thead", {}, h("tr", {}, ...["Calls", "req/s", "errors %", "latency ms"].map((c) => h("th", { scope: "col" }, c)))),
              h(
                "tbody",
                {},
                ...inspection.dependencies.map((d) =>
                  h("tr", {}, h("td", {}, d.callee), h("td", {}, d.calls_per_second), h("td", {}, d.error_rate), h("td", {}, d.latency_ms)),
                ),
              ),
            ),
          )
        : null,
      inspection.dependents.length > 0 ? h("p", { class: "hint" }, `Called by: ${inspection.dependents.join(", ")}`) : null,
      inspection.recent_changes.length > 0
        ? h(
            "ul",
            { "aria-label": "Recent changes" },
            ...inspection.recent_changes.map((c) => h("li", {}, `${c.timestamp.slice(11, 16)} ${c.service} ${c.kind}: ${c.description}`)),
          )
        : null,
      inspection.recent_logs.length > 0
        ? h(
            "ol",
            { class: "logs", "aria-label": "Logs of the inspected service" },
            ...inspection.recent_logs
              .slice(-20)
              .map((l) => h("li", { class: `lvl-${l.level}` }, `${l.timestamp.slice(11, 19)} ${l.level} ${l.message}`)),
          )
        : null,
      trace && trace.spans.length > 0
        ? h(
            "p",
            { class: "hint" },
            `Trace ${trace.trace_id}: ${trace.spans.map((s) => `${s.service} ${Math.round(s.duration_ms)} ms${s.error ? " (error)" : ""}`).join(" → ")}`,
          )
        : null,
    );
  }

  private drawKnowledge(articles: KbArticle[]): void {
    const key = articles.map((a) => a.article_id).join(",");
    if (key === this.knowledgeKey) return;
    this.knowledgeKey = key;
    replaceChildren(
      this.knowledge,
      ...(articles.length === 0
        ? [h("p", { class: "hint" }, "No articles")]
        : articles.map((a) => h("details", {}, h("summary", {}, `${a.article_id}: ${a.title}`), h("pre", {}, a.content)))),
    );
  }

  private drawSummary(model: EpisodeModel, playedBy: string | undefined): void {
    const state = model.state;
    const item = (term: string, value: string, attrs: Record<string, string | number> = {}): HTMLElement =>
      h("div", {}, h("dt", {}, term), h("dd", attrs, value));
    const status = model.episodeStatus || state?.status || "";
    replaceChildren(
      this.summary,
      item("Level", state?.task_level ?? "—"),
      item("Scenario", state?.scenario_id ?? "—"),
      item("Step", `${Math.max(model.actions.length, state?.step_count ?? 0)} / ${state?.max_steps ?? "?"}`, { "data-testid": "step" }),
      item("Score", formatScore(model.score), { "data-testid": "score", "data-value": model.score }),
      item("Status", status.replace(/_/g, " "), { class: `status-${status}`, "data-testid": "status" }),
      item("Incident", model.incidentStatus.replace(/_/g, " ") || "—"),
      item("Clock", `${model.minute} min`, { "data-testid": "clock" }),
      playedBy !== undefined ? item("Played by", playedBy) : null,
    );
  }

  private drawTopology(model: EpisodeModel): void {
    const topology = model.topology;
    if (!topology) return;
    const key = topology.services.map((s) => s.name).join(",");
    if (!this.cy || key !== this.topologyKey) {
      this.cy?.destroy();
      this.topologyKey = key;
      // On a narrow window, smaller labels wrapped anywhere so that neighbours do not overlap.
      const narrow = this.graph.clientWidth < 520;
      this.cy = cytoscape({
        container: this.graph,
        elements: [
          ...topology.services.map((s) => ({ data: { id: s.name, label: s.name, health: 0 } })),
          ...topology.dependencies.map((d, i) => ({ data: { id: `e${i}`, source: d.caller, target: d.callee } })),
        ],
        style: [
          {
            selector: "node",
            style: {
              label: "data(label)",
              color: "#e6edf3",
              "font-size": narrow ? 8 : 10,
              "text-wrap": "wrap",
              "text-overflow-wrap": "anywhere",
              "text-max-width": narrow ? "80px" : "120px",
              "text-valign": "bottom",
              "text-margin-y": 3,
              width: narrow ? 14 : 18,
              height: narrow ? 14 : 18,
              "background-color": HEALTH_COLOURS[0],
            },
          },
          { selector: "node[health = 1]", style: { "background-color": HEALTH_COLOURS[1] } },
          { selector: "node[health = 2]", style: { "background-color": HEALTH_COLOURS[2] } },
          {
            selector: "edge",
            style: {
              width: 1.2,
              "line-color": "#4b5d70",
              "target-arrow-color": "#4b5d70",
              "target-arrow-shape": "triangle",
              "curve-style": "bezier",
            },
          },
        ],
        // Callers above callees; on a narrow window callers left of callees, siblings stacked.
        layout: {
          name: "breadthfirst",
          directed: true,
          padding: 12,
          spacingFactor: 0.9,
          ...(narrow ? { transform: (_node: cytoscape.NodeSingular, p: cytoscape.Position) => ({ x: p.y, y: p.x }) } : {}),
        },
        userZoomingEnabled: false,
        boxSelectionEnabled: false,
        autoungrabify: true,
      });
    }
    const cy = this.cy;
    cy.batch(() => {
      for (const s of topology.services) cy.getElementById(s.name).data("health", model.health(s.name));
    });
    replaceChildren(
      this.graphText,
      ...topology.services.map((s) =>
        h("li", { "data-health": model.health(s.name) }, `${s.name} (${s.role || s.kind}): ${HEALTH_WORDS[model.health(s.name)]}`),
      ),
    );
  }

  private drawSparks(model: EpisodeModel): void {
    const services = model.topology?.services.map((s) => s.name) ?? [...model.series.keys()];
    const rows = services
      .filter((name) => model.series.has(name))
      .map((name) => {
        const byMetric = model.series.get(name);
        return h(
          "div",
          { class: "spark-row" },
          h("span", { class: "name" }, name),
          ...METRIC_NAMES.map((metric) => {
            const series = byMetric?.get(metric);
            if (!series) return h("span", {});
            const last = series.values[series.values.length - 1] ?? 0;
            const figure = h("figure", {}, h("figcaption", {}, `${metric} ${last}${series.unit === "%" ? "%" : ` ${series.unit}`}`));
            figure.appendChild(sparkline(name, metric, series));
            return h("div", { class: `spark${series.anomalous ? " anomalous" : ""}` }, figure);
          }),
        );
      });
    replaceChildren(this.sparks, ...(rows.length > 0 ? rows : [h("p", { class: "hint" }, "No readings yet")]));
  }

  private drawLogs(model: EpisodeModel): void {
    const follow = this.logs.scrollTop + this.logs.clientHeight >= this.logs.scrollHeight - 8;
    replaceChildren(
      this.logs,
      ...model.logs
        .slice(-150)
        .map((l) => h("li", { class: `lvl-${l.level}` }, `${l.timestamp.slice(11, 19)} ${l.level.padEnd(5)} ${l.service}: ${l.message}`)),
    );
    if (follow) this.logs.scrollTop = this.logs.scrollHeight;
  }

  private drawGrade(grade: Grade | null, score: number): void {
    this.gradePanel.hidden = grade === null;
    if (grade === null) return;
    replaceChildren(
      this.gradePanel,
      h("h2", { id: "h-grade" }, `Grade: ${formatScore(score)} (${grade.grader})`),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          {},
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Component"),
              h("th", { scope: "col" }, "Score"),
              h("th", { scope: "col" }, "Weight"),
              h("th", { scope: "col" }, "Why"),
            ),
          ),
          h(
            "tbody",
            {},
            ...grade.components.map((c) =>
              h("tr", {}, h("td", {}, c.name), h("td", {}, formatScore(c.score)), h("td", {}, c.weight.toFixed(2)), h("td", {}, c.detail)),
            ),
          ),
        ),
      ),
      grade.penalties.length > 0 ? h("h2", {}, "Penalties") : null,
      grade.penalties.length > 0
        ? h("ul", {}, ...grade.penalties.map((p) => h("li", {}, `${p.name}: −${p.amount.toFixed(3)} ${p.detail}`)))
        : null,
      grade.notes.length > 0 ? h("ul", { class: "hint" }, ...grade.notes.map((n) => h("li", {}, n))) : null,
    );
  }

  destroy(): void {
    this.cy?.destroy();
  }
}
