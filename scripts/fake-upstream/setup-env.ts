// Vitest setupFiles: points every test's OpenAI environment at the run's fake upstream.
import { inject } from "vitest";

process.env.OPENAI_BASE_URL = inject("upstreamUrl");
process.env.OPENAI_API_KEY ??= "sk-fake-upstream-key";
