// Turns the AI SDK's stream parts into OpenAI chunk deltas as they arrive, and accumulates the whole
// reply (text, tool calls with their exact argument text, finish reason, usage) for storage and for
// non-streaming responses. Each tool call keeps its own index, so parallel calls never merge.
// When the tenant scans output, text goes through the stream redactor, and each tool call's arguments
// are held until the call is complete (its end, or the end of the step at the latest), then sent and
// stored redacted as JSON (convex/pii/redactText.ts), so they stay valid JSON.
import type { TextStreamPart, ToolSet } from "ai";
import type { ChunkDelta } from "./responseSchemas";
import { toOpenAIFinishReason, type FinishReason } from "./finishReason";
import { fromSdkUsage, type Usage } from "./usage";
import type { ToolCall } from "./transcript";
import type { StreamRedactor } from "../pii/streamRedactor";
import { redactText } from "../pii/redactText";

type ToolCallDelta = NonNullable<ChunkDelta["tool_calls"]>[number];

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
  /** When scanning: the indexes of the calls whose (redacted) arguments have been sent. */
  private readonly sent = new Set<number>();
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
        if (this.redactor) return null;
        return { kind: "delta", delta: { tool_calls: [{ index, function: { arguments: part.delta } }] } };
      }
      case "tool-input-end": {
        const index = this.indexById.get(part.id);
        return index === undefined ? null : this.releaseCalls([index]);
      }
      case "tool-call": {
        // A provider that does not stream tool input sends only this part: emit the call whole.
        const streamed = this.indexById.get(part.toolCallId);
        if (streamed !== undefined) return this.releaseCalls([streamed]);
        const index = this.openCall(part.toolCallId, part.toolName);
        const call = this.calls[index]!;
        call.arguments = JSON.stringify(part.input ?? {});
        this.sent.add(index);
        const argumentsText = this.redactor ? this.redactedArguments(index) : call.arguments;
        return {
          kind: "delta",
          delta: {
            tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: argumentsText } }],
          },
        };
      }
      case "finish-step":
        // Any call whose end the provider did not mark is complete when its step is.
        return this.releaseCalls(this.calls.map((_, index) => index));
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

  /** The reply's tool calls; when scanning, with their arguments redacted. */
  get toolCalls(): ToolCall[] {
    return this.calls.map((call, index) => ({ ...call, ...(this.redactor ? { arguments: this.redactedArguments(index) } : {}) }));
  }

  /**
   * When scanning, sends the redacted arguments of the given calls that have not been sent yet, in
   * one delta; without scanning their arguments were sent as they came, so there is nothing to do.
   */
  private releaseCalls(indexes: number[]): ReplyEvent | null {
    if (!this.redactor) return null;
    const toolCalls: ToolCallDelta[] = [];
    for (const index of indexes) {
      if (this.sent.has(index)) continue;
      this.sent.add(index);
      const argumentsText = this.redactedArguments(index);
      if (argumentsText !== "") toolCalls.push({ index, function: { arguments: argumentsText } });
    }
    return toolCalls.length === 0 ? null : { kind: "delta", delta: { tool_calls: toolCalls } };
  }

  private redactedArguments(index: number): string {
    return redactText(this.calls[index]!.arguments).text;
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
