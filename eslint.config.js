// ESLint: TypeScript's recommended rules everywhere, and Convex's recommended rules for convex/.
import tseslint from "typescript-eslint";
import convexPlugin from "@convex-dev/eslint-plugin";

export default tseslint.config(
  { ignores: ["node_modules/", "convex/_generated/", "public/", "test-output/", "bench-output/"] },
  ...tseslint.configs.recommended,
  ...convexPlugin.configs.recommended,
  {
    // The one module that reads the deployment's environment, and the one test module that sets it.
    // Offline codegen (--system-udfs) does not generate the typed `env` export, and convex-test and the
    // local gateway provide process.env.
    files: ["convex/upstream/config.ts", "convex/testing/environment.testing.ts"],
    rules: { "@convex-dev/no-process-env": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
