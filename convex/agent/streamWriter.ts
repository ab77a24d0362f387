// Writes an agent's text to its persistent stream in batches, by time and size: the first text is
// written at once (time to first token), then what gathers is written every WRITE_INTERVAL_MS, or as
// soon as it reaches WRITE_BATCH_BYTES. What is left when the run ends is handed back unwritten: the
// run's `end` writes it with the terminal state, one call instead of two. A minute of streaming costs
// about 120 writes whatever the token rate. Other writes (tool steps) join the same queue, so
// everything lands in order.
import { StreamRedactor } from "../pii/streamRedactor";

/** The batching interval: after the first write, a delta reaches the stream at most this long after the model produced it. */
export const WRITE_INTERVAL_MS = 500;
/** Gathered text this large is written without waiting for the interval (UTF-16 code units, ~bytes for text). */
export const WRITE_BATCH_BYTES = 4096;

export class StreamWriter {
  private buffer = "";
  private written = false;
  private lastWrite = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly writeText: (text: string) => Promise<void>,
    /** When the tenant scans output, text is redacted before it is ever written. */
    private readonly redactor: StreamRedactor | null,
  ) {}

  add(text: string): void {
    this.buffer += this.redactor ? this.redactor.push(text) : text;
    if (this.buffer === "") return;
    const wait = this.lastWrite + WRITE_INTERVAL_MS - Date.now();
    if (!this.written || wait <= 0 || this.buffer.length >= WRITE_BATCH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Queues other work after everything written so far. */
  then(task: () => Promise<unknown>): void {
    this.flush();
    this.queue = this.queue.then(async () => void (await task()));
  }

  /** Waits for every queued write (a failed write rejects here) and returns the text not yet written. */
  async close(): Promise<string> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.queue;
    // Gathered while the queue drained, or held back by the redactor until the end.
    const rest = this.buffer + (this.redactor ? this.redactor.flush() : "");
    this.buffer = "";
    return rest;
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer === "") return;
    const text = this.buffer;
    this.buffer = "";
    this.written = true;
    this.lastWrite = Date.now();
    this.queue = this.queue.then(() => this.writeText(text));
  }
}
