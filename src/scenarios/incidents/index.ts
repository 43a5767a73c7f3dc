/**
 * The presets: the ten incidents of the original incident-response-env (3 easy, 3 medium, 4 hard)
 * as hand-made incidents of the fault library, playable by scenario_id. Their topologies mirror the
 * original's services, and they keep its story (page text, KB articles, log lines before the page)
 * in new words.
 */
import type { IncidentSpec } from "../../sim/incident.js";
import { easy001 } from "./easy-001-db-connection-slots.js";
import { easy002 } from "./easy-002-payment-crash.js";
import { easy003 } from "./easy-003-redis-full.js";
import { medium001 } from "./medium-001-carrier-timeout.js";
import { medium002 } from "./medium-002-es-heap-leak.js";
import { medium003 } from "./medium-003-dropped-index.js";
import { hard001 } from "./hard-001-network-partition.js";
import { hard002 } from "./hard-002-bad-deploy-deadlocks.js";
import { hard003 } from "./hard-003-retry-storm.js";
import { hard004 } from "./hard-004-sync-webhook-cascade.js";

export const PRESETS: readonly IncidentSpec[] = [
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

/** The preset with this id (case-insensitive), if any. */
export function findPreset(id: string): IncidentSpec | undefined {
  const wanted = id.trim().toUpperCase();
  return PRESETS.find((p) => p.id.toUpperCase() === wanted);
}
