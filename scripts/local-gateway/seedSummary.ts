// What `npm start` prints about the seed: the first tenant's first key and its model ids.
import { parseSeed } from "../../convex/admin/seedSchema";

export function describeSeed(input: unknown): { demoKey: string | null; models: string[] } {
  const tenant = parseSeed(input).tenants[0]!;
  return {
    demoKey: tenant.apiKeys[0]?.key ?? null,
    models: [...tenant.agents.map((agent) => agent.slug), ...tenant.policy.allowedModels],
  };
}
