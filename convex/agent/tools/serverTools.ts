// The agent's server-side tools, built for one run: each has `execute`, so the AI SDK runs it and
// feeds the result back to the model. A failing tool returns `{ error }`, which the model sees; it
// never fails the request.
import { jsonSchema, tool, type ToolSet } from "ai";
import { z } from "zod";
import { internal } from "../../_generated/api";
import type { ActionCtx } from "../../_generated/server";
import type { Id } from "../../_generated/dataModel";
import { evaluateArithmetic } from "./arithmetic";
import { currentTime } from "./currentTime";
import { callWebhook } from "./webhook";

export interface WebhookToolSpec {
  name: string;
  description: string;
  /** JSON Schema text, as stored. */
  parameters: string;
}

export interface ToolScope {
  tenantId: Id<"tenants">;
  requestId: string;
}

export function serverTools(ctx: ActionCtx, scope: ToolScope, names: string[], webhooks: WebhookToolSpec[]): ToolSet {
  const tools: ToolSet = {};
  for (const name of names) {
    if (name === "calculator") {
      tools.calculator = tool({
        description: "Evaluates an arithmetic expression: numbers, + - * / % ^, parentheses, sqrt, abs, round, min, max, pi.",
        inputSchema: z.object({ expression: z.string().describe("The expression, e.g. '(12.5 * 4) / 3'") }),
        execute: async ({ expression }) => guarded(() => ({ expression, result: evaluateArithmetic(expression) })),
      });
    } else if (name === "current_time") {
      tools.current_time = tool({
        description: "The current date and time in an IANA time zone.",
        inputSchema: z.object({ timeZone: z.string().default("UTC").describe("An IANA time zone such as 'Europe/Paris'") }),
        execute: async ({ timeZone }) => guarded(() => currentTime(timeZone, new Date())),
      });
    } else if (name === "knowledge_search") {
      tools.knowledge_search = tool({
        description: "Searches the organization's knowledge documents; returns matching titles and snippets to cite.",
        inputSchema: z.object({ query: z.string().min(1).describe("What to look for") }),
        execute: async ({ query }) => ({
          results: await ctx.runQuery(internal.agent.knowledge.search, { tenantId: scope.tenantId, query }),
        }),
      });
    } else {
      const webhook = webhooks.find((spec) => spec.name === name);
      if (webhook === undefined) continue;
      tools[name] = tool({
        description: webhook.description,
        inputSchema: jsonSchema(JSON.parse(webhook.parameters)),
        execute: async (input) => callWebhook(ctx, scope, name, input),
      });
    }
  }
  return tools;
}

function guarded<T>(work: () => T): T | { error: string } {
  try {
    return work();
  } catch (error) {
    return { error: error instanceof Error ? error.message : "The tool failed." };
  }
}
