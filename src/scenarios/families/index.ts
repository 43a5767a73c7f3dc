/**
 * Every architecture family the topology generator can draw from, one file each.
 */
import { dataPipeline } from "./data-pipeline.js";
import { mediaFeed } from "./media-feed.js";
import { payments } from "./payments.js";
import { rideHailing } from "./ride-hailing.js";
import { saasApi } from "./saas-api.js";
import type { ArchitectureFamily } from "./types.js";
import { webShop } from "./web-shop.js";

export type { ArchitectureFamily } from "./types.js";

export const FAMILIES: readonly ArchitectureFamily[] = [webShop, payments, mediaFeed, dataPipeline, rideHailing, saasApi];

/** The family with this name, if any. */
export function familyByName(name: string): ArchitectureFamily | undefined {
  return FAMILIES.find((f) => f.name === name);
}
