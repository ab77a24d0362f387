// Turns the AI SDK's stream parts into OpenAI chunk deltas as they arrive, and accumulates the whole
// reply (text, tool calls with their exact argument text, finish reason, usage) for storage and for
// non-streaming responses. Each tool call keeps its own index, so parallel calls never merge.
import type { TextStreamPart, ToolSet } from "ai";
import type { ChunkDelta } from "./responseSchemas";
import { toOpenAIFinishReason, type FinishReason } from "./finishReason";
import { fromSdkUsage, type Usage } from "./usage";
import type { ToolCall } from "./transcript";
import type { StreamRedactor } from "../pii/streamRedactor";

export type ReplyEvent =
  | { kind: "delta"; delta: ChunkDelta }
  /** `content`: text held back for PII scanning, released at the end, to send before the finish chunk. */
  | { kind: "finish"; finishReason: FinishReason; usage: Usage; content?: string }
  | { kind: "error"; error: unknown };

export class ReplyBuilder {
  private text = "";
  /** Whether the upstream produced any text, whether or not it has been released yet. */
  private producedText = false;
  private readonly calls: ToolCall[] = [];
  private readonly indexById = new Map<string, number>();
  finishReason: FinishReason | null = null;
  usage: Usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

  /** With a redactor (the tenant scans output), text is released only once it is known to be clean. */
  constructor(private readonly redactor: StreamRedactor | null = null) {}

  /** Feeds one stream part; returns what the client should be sent for it, if anything. */
  accept(part: TextStreamPart<ToolSet>): ReplyEvent | null {
    switch (part.type) {
      case "text-delta": {
        if (part.text === "") return null;
        this.producedText = true;
        const released = this.redactor ? this.redactor.push(part.text) : part.text;
        if (released === "") return null;
        this.text += released;
        return { kind: "delta", delta: { content: released } };
      }
      case "tool-input-start": {
        const held = this.releaseHeld();
        const index = this.openCall(part.id, part.toolName);
        return {
          kind: "delta",
          delta: {
            ...(held ? { content: held } : {}),
            tool_calls: [{ index, id: part.id, type: "function", function: { name: part.toolName, arguments: "" } }],
          },
        };
      }
      case "tool-input-delta": {
        const index = this.indexById.get(part.id);
        if (index === undefined || part.delta === "") return null;
        this.calls[index]!.arguments += part.delta;
        return { kind: "delta", delta: { tool_calls: [{ index, function: { arguments: part.delta } }] } };
      }
      case "tool-call": {
        // A provider that does not stream tool input sends only this part: emit the call whole.
        if (this.indexById.has(part.toolCallId)) return null;
        const index = this.openCall(part.toolCallId, part.toolName);
        const call = this.calls[index]!;
        call.arguments = JSON.stringify(part.input ?? {});
        return {
          kind: "delta",
          delta: {
            tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }],
          },
        };
      }
      case "finish":
        // An upstream that ends without a finish reason and without a word (an empty 200 body) failed;
        // relaying that as an empty answer would hide the failure from the client.
        if (part.rawFinishReason === undefined && !this.producedText && this.calls.length === 0) {
          return { kind: "error", error: new Error("The upstream ended its reply without producing anything.") };
        }
        this.finishReason = toOpenAIFinishReason(part.finishReason, part.rawFinishReason);
        this.usage = fromSdkUsage(part.totalUsage);
        const held = this.releaseHeld();
        return { kind: "finish", finishReason: this.finishReason, usage: this.usage, ...(held ? { content: held } : {}) };
      case "error":
        return { kind: "error", error: part.error };
      default:
        return null;
    }
  }

  get content(): string | null {
    return this.text === "" ? null : this.text;
  }

  get toolCalls(): ToolCall[] {
    return this.calls.map((call) => ({ ...call }));
  }

  /** Releases text the redactor still holds, redacted, into the reply. */
  private releaseHeld(): string {
    const held = this.redactor?.flush() ?? "";
    this.text += held;
    return held;
  }

  private openCall(id: string, name: string): number {
    const index = this.calls.length;
    this.calls.push({ id, name, arguments: "" });
    this.indexById.set(id, index);
    return index;
  }
}
