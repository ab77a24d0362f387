// Two test projects: Convex functions on convex-test's edge runtime, and Node-side scripts
// (fake upstream, local gateway, real-client end-to-end tests). One fake OpenAI upstream is started
// for the whole run and its URL handed to every test through `provide`/`inject`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["scripts/fake-upstream/global-setup.ts"],
    setupFiles: ["scripts/fake-upstream/setup-env.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "convex",
          include: ["convex/**/*.test.ts"],
          environment: "edge-runtime",
          server: { deps: { inline: ["convex-test", "@convex-dev/rate-limiter", "@convex-dev/batch-worker"] } },
        },
      },
      {
        extends: true,
        test: { name: "node", include: ["scripts/**/*.test.ts"], environment: "node" },
      },
    ],
  },
});
