/**
 * All scenario templates, by level. The seed's ten incidents, re-authored: three easy, three
 * medium, four hard. `scenario_id` on reset names one of them.
 */
import { easy001 } from "./presets/easy-001-db-connection-pool.js";
import type { Level, ScenarioTemplate } from "./types.js";

export const SCENARIOS: readonly ScenarioTemplate[] = [easy001];

export function scenariosFor(level: Level): readonly ScenarioTemplate[] {
  return SCENARIOS.filter((s) => s.level === level);
}

/** The scenario with this id (case-insensitive), if any. */
export function findScenario(id: string): ScenarioTemplate | undefined {
  const wanted = id.trim().toUpperCase();
  return SCENARIOS.find((s) => s.id.toUpperCase() === wanted);
}
