// A resolved target's failover plan: its upstream targets in order, or, for an agent run stored
// before providers existed, the default provider with the target's model.
import type { ResolvedTarget } from "../model/requestDecision";
import { DEFAULT_PROVIDER, type UpstreamTarget } from "./providerConfig";

export function failoverTargets(target: ResolvedTarget): UpstreamTarget[] {
  if (target.upstreams !== undefined && target.upstreams.length > 0) return target.upstreams;
  return [{ provider: DEFAULT_PROVIDER, model: target.upstreamModel, coolingUntil: null }];
}
