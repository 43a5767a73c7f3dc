/**
 * Pieces every family shares: the infrastructure roles (network fabric, DNS, deploy/config
 * system) and a shorthand for name choices.
 */
import type { NameChoice, RoleSpec } from "./types.js";

/** A name choice: canonical name, fair aliases, optional one-line role. */
export function n(name: string, aliases: readonly string[], role?: string): NameChoice {
  return role === undefined ? { name, aliases } : { name, aliases, role };
}

export const NETWORK_ROLE: RoleSpec = {
  id: "network",
  kind: "network",
  role: "inter-zone network fabric (links between availability zones)",
  count: [1, 1],
  names: [
    n("core-network", ["network fabric", "inter-zone network"]),
    n("dc-fabric", ["datacenter fabric", "dc network", "network fabric"]),
    n("vpc-network", ["vpc", "vpc fabric", "inter-zone network"]),
  ],
  calls: [],
};

export const DNS_ROLE: RoleSpec = {
  id: "dns",
  kind: "dns",
  role: "cluster DNS resolver for service discovery",
  count: [1, 1],
  names: [
    n("coredns", ["core dns", "cluster dns", "dns resolver"]),
    n("internal-dns", ["dns resolver", "service discovery dns"]),
    n("kube-dns", ["kubernetes dns", "cluster dns"]),
  ],
  calls: [],
};

export const CONFIG_ROLE: RoleSpec = {
  id: "config",
  kind: "config",
  role: "deploy and configuration system (rollouts, config pushes, feature flags)",
  count: [1, 1],
  names: [
    n("deploy-controller", ["deployer", "deploy pipeline", "rollout controller"]),
    n("config-service", ["configuration service", "config server"]),
    n("argocd", ["argo cd", "argo", "gitops controller"], "Argo CD: GitOps deploys and config sync"),
    n("spinnaker", ["spinnaker pipelines", "deploy pipeline"], "Spinnaker: deploy pipelines and rollouts"),
  ],
  calls: [],
};
