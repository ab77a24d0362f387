// Test support for reading what the gateway streamed back: SSE blocks with their arrival times, chunks,
// and tool calls reassembled the way an OpenAI client reassembles them. (Never deployed: two dots.)
import { expect } from "vitest";

export interface Chunk {
  id: string;
  object: string;
  created: number;
  model: string;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  choices: Array<{
    index: number;
    finish_reason: string | null;
    delta: {
      role?: string;
      content?: string | null;
      refusal?: string | null;
      tool_calls?: Array<{ index: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }>;
    };
  }>;
}

/** The chunks of a stream read with readSse, checking that it ended with [DONE]. */
export function chunksBeforeDone(events: unknown[]): Chunk[] {
  expect(events.at(-1)).toBe("[DONE]");
  return events.slice(0, -1) as Chunk[];
}

export interface AssembledToolCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

/**
 * Rebuilds tool calls from their deltas as openai-node's stream helper does: by index, the first piece
 * giving id, type and name, later pieces appending argument text. Fails on a piece for an unopened index.
 */
export function assembleToolCalls(chunks: Chunk[]): AssembledToolCall[] {
  const calls: AssembledToolCall[] = [];
  for (const chunk of chunks) {
    for (const piece of chunk.choices[0]?.delta.tool_calls ?? []) {
      if (piece.id !== undefined) {
        expect(calls[piece.index], `tool call index ${piece.index} opened twice`).toBeUndefined();
        expect(piece).toMatchObject({ type: "function", function: { name: expect.any(String) } });
        calls[piece.index] = { id: piece.id, type: piece.type!, function: { name: piece.function!.name!, arguments: "" } };
      }
      const call = calls[piece.index];
      expect(call, `argument piece for unopened tool call index ${piece.index}`).toBeDefined();
      call!.function.arguments += piece.function?.arguments ?? "";
    }
  }
  return calls;
}

/** One SSE block (a `data:` event or a `:` comment) and when it arrived, in ms after the response did. */
export interface TimedBlock {
  text: string;
  atMs: number;
}

/** Reads an SSE body block by block as it arrives, recording when each block came. */
export async function readTimedBlocks(response: Response): Promise<TimedBlock[]> {
  const started = Date.now();
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const blocks: TimedBlock[] = [];
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += value;
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      blocks.push({ text: buffered.slice(0, end), atMs: Date.now() - started });
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf("\n\n");
    }
  }
  expect(buffered, "the stream ended inside an SSE block").toBe("");
  return blocks;
}

/** The parsed payload of a `data:` block (the raw text for [DONE]); null for a comment. */
export function blockData(block: TimedBlock): unknown {
  if (!block.text.startsWith("data: ")) return null;
  const data = block.text.slice("data: ".length);
  return data === "[DONE]" ? data : JSON.parse(data);
}
