/**
 * All scenario templates, by level. The seed's ten incidents, re-authored: three easy, three
 * medium, four hard. `scenario_id` on reset names one of them.
 */
import { easy001 } from "./presets/easy-001-db-connection-pool.js";
import { easy002 } from "./presets/easy-002-payment-crash.js";
import { easy003 } from "./presets/easy-003-redis-oom.js";
import { medium001 } from "./presets/medium-001-kafka-lag-upstream-timeout.js";
import { medium002 } from "./presets/medium-002-es-heap-leak.js";
import { medium003 } from "./presets/medium-003-missing-index.js";
import { hard001 } from "./presets/hard-001-network-partition.js";
import { hard002 } from "./presets/hard-002-bad-deploy-deadlocks.js";
import { hard003 } from "./presets/hard-003-retry-storm.js";
import { hard004 } from "./presets/hard-004-sync-webhook-cascade.js";
import type { Level, ScenarioTemplate } from "./types.js";

export const SCENARIOS: readonly ScenarioTemplate[] = [
  easy001,
  easy002,
  easy003,
  medium001,
  medium002,
  medium003,
  hard001,
  hard002,
  hard003,
  hard004,
];

export function scenariosFor(level: Level): readonly ScenarioTemplate[] {
  return SCENARIOS.filter((s) => s.level === level);
}

/** The scenario with this id (case-insensitive), if any. */
export function findScenario(id: string): ScenarioTemplate | undefined {
  const wanted = id.trim().toUpperCase();
  return SCENARIOS.find((s) => s.id.toUpperCase() === wanted);
}
