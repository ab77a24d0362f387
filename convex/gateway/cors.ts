// CORS for browser clients (the Swagger page, openai-node with dangerouslyAllowBrowser): which request
// headers they may send and which response headers they may read.
import type { CorsConfig } from "convex-helpers/server/cors";

export const CORS: CorsConfig = {
  allowedOrigins: ["*"],
  allowedHeaders: [
    "Authorization",
    "Content-Type",
    "X-Conversation-Id",
    "OpenAI-Organization",
    "OpenAI-Project",
    "OpenAI-Beta",
    // openai-node sends its platform headers from browsers too.
    "X-Stainless-Arch",
    "X-Stainless-Lang",
    "X-Stainless-OS",
    "X-Stainless-Package-Version",
    "X-Stainless-Retry-Count",
    "X-Stainless-Runtime",
    "X-Stainless-Runtime-Version",
    "X-Stainless-Timeout",
    "X-Stainless-Helper-Method",
  ],
  exposedHeaders: [
    "x-request-id",
    "x-conversation-id",
    "x-ratelimit-limit-requests",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-reset-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-tokens",
    "retry-after",
    "retry-after-ms",
    "server-timing",
  ],
};
