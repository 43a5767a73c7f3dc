/**
 * Lean observations (the default) carry the topology and the KB articles only on reset and
 * GetObservation: they never change within an episode. An agent that reads them at every step
 * keeps them from the reset; this puts them back into each step's observation.
 */
import type { Observation } from "../../gen/incident/v1/observation_pb.js";

/** The step's observation with the topology and KB articles of `first` where it has none. */
export function withUnchangingParts(observation: Observation, first: Observation): Observation {
  if (observation.topology !== undefined && observation.kbArticles.length > 0) return observation;
  return {
    ...observation,
    topology: observation.topology ?? first.topology,
    kbArticles: observation.kbArticles.length > 0 ? observation.kbArticles : first.kbArticles,
  };
}
