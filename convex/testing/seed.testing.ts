// The seed the integration tests share: two tenants, so every test can also check isolation.
// (Files with two dots are never deployed by Convex: this is test support only.)
export const ACME_KEY = "sk-acme-test-000000000000000000";
export const ACME_LIMITED_KEY = "sk-acme-limited-0000000000000000";
export const ACME_DISABLED_KEY = "sk-acme-disabled-000000000000000";
export const ACME_EXPIRED_KEY = "sk-acme-expired-0000000000000000";
export const GLOBEX_KEY = "sk-globex-test-00000000000000000";

export const TEST_SEED = {
  tenants: [
    {
      slug: "acme",
      name: "Acme Inc",
      apiKeys: [
        { name: "main", key: ACME_KEY, agents: ["*"], expiresAt: null, disabled: false },
        { name: "limited", key: ACME_LIMITED_KEY, agents: ["writer"], expiresAt: null, disabled: false },
        { name: "disabled", key: ACME_DISABLED_KEY, agents: ["*"], expiresAt: null, disabled: true },
        { name: "expired", key: ACME_EXPIRED_KEY, agents: ["*"], expiresAt: "2020-01-01T00:00:00Z", disabled: false },
      ],
      agents: [
        {
          slug: "support",
          model: "gpt-4o-mini",
          instructions: "You are Acme's support agent.",
          tools: ["calculator", "current_time", "knowledge_search"],
          temperature: 0.3,
          maxOutputTokens: 1024,
        },
        { slug: "writer", model: "gpt-4o", instructions: "You write copy for Acme.", tools: [], temperature: null, maxOutputTokens: null },
      ],
      documents: [{ title: "Refund policy", text: "Acme refunds any order within 30 days of delivery." }],
      policy: { allowedModels: ["gpt-4.1-mini"], maxOutputTokens: 4096 },
    },
    {
      slug: "globex",
      name: "Globex Corporation",
      apiKeys: [{ name: "main", key: GLOBEX_KEY, agents: ["*"], expiresAt: null, disabled: false }],
      agents: [{ slug: "sales", model: "gpt-4o-mini", instructions: "You are Globex's sales agent.", tools: [] }],
      documents: [{ title: "Globex secrets", text: "Globex plans to launch the Hammock 3000 in spring." }],
    },
  ],
};

export const POLICY_KEY = "sk-policy-test-00000000000000000";

/** A one-tenant seed ("policy") whose policy the test chooses; its agent "bot" runs on gpt-4o-mini. */
export function policySeed(policy: Record<string, unknown>, key: Record<string, unknown> = {}) {
  return {
    tenants: [
      {
        slug: "policy",
        name: "Policy Test",
        apiKeys: [{ name: "main", key: POLICY_KEY, ...key }],
        agents: [{ slug: "bot", model: "gpt-4o-mini", instructions: "You are a test bot." }],
        policy,
      },
    ],
  };
}
