// A resolved target's failover plan (model/requestDecision.ts, `upstreams`): its upstream targets in
// order, or, for an agent run stored before providers existed, the default provider with its model.
import { DEFAULT_PROVIDER, type UpstreamTarget } from "./providerConfig";

export function failoverTargets(target: { upstreams?: UpstreamTarget[]; upstreamModel: string }): UpstreamTarget[] {
  if (target.upstreams !== undefined && target.upstreams.length > 0) return target.upstreams;
  return [{ provider: DEFAULT_PROVIDER, model: target.upstreamModel, coolingUntil: null }];
}

/** The one target a plan can use, when it has a single attempt (one target, no retries); null when it may fail over. */
export function certainTarget(targets: UpstreamTarget[]): UpstreamTarget | null {
  return targets.length === 1 && targets[0]!.provider.retries === 0 ? targets[0]! : null;
}
