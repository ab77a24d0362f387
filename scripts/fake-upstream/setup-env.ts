// Vitest setupFiles: points every test's OpenAI environment at the run's fake upstream, and lets
// webhook tools call the tests' loopback receivers (tests of the SSRF guard turn this off themselves).
import { inject } from "vitest";

process.env.OPENAI_BASE_URL = inject("upstreamUrl");
process.env.OPENAI_API_KEY ??= "sk-fake-upstream-key";
process.env.GATEWAY_ALLOW_PRIVATE_WEBHOOKS ??= "1";
