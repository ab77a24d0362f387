// Collects the server-side tool steps of an agent run from the AI SDK's stream parts, as transcript
// messages: the assistant's tool calls, then each tool's result, ready to be stored in order.
import type { TextStreamPart, ToolSet } from "ai";
import type { TranscriptMessage } from "../openai/transcript";

export class StepRecorder {
  private calls: NonNullable<TranscriptMessage["toolCalls"]> = [];
  private results: TranscriptMessage[] = [];

  /** Feeds a part; at the end of a step that used tools, returns that step's messages. */
  observe(part: TextStreamPart<ToolSet>): TranscriptMessage[] | null {
    switch (part.type) {
      case "tool-call":
        this.calls.push({ id: part.toolCallId, name: part.toolName, arguments: JSON.stringify(part.input ?? {}) });
        return null;
      case "tool-result":
        this.results.push({ role: "tool", toolCallId: part.toolCallId, content: JSON.stringify(part.output ?? null) });
        return null;
      case "tool-error":
        this.results.push({ role: "tool", toolCallId: part.toolCallId, content: JSON.stringify({ error: errorText(part.error) }) });
        return null;
      case "finish-step": {
        if (this.calls.length === 0) return null;
        const step: TranscriptMessage[] = [{ role: "assistant", content: null, toolCalls: this.calls }, ...this.results];
        this.calls = [];
        this.results = [];
        return step;
      }
      default:
        return null;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : "The tool failed.";
}
