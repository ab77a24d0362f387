// Writes an agent's text to its persistent stream in throttled batches: deltas are gathered and
// written at most once per interval (and when the run ends), so a long answer costs far fewer writes
// than tokens. Other writes (tool steps) join the same queue, so everything lands in order.
import { StreamRedactor } from "../pii/streamRedactor";

/** The batching interval: a delta reaches the stream at most this long after the model produced it. */
export const WRITE_INTERVAL_MS = 50;

export class StreamWriter {
  private buffer = "";
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
    const wait = this.lastWrite + WRITE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Queues other work after everything written so far. */
  then(task: () => Promise<unknown>): void {
    this.flush();
    this.queue = this.queue.then(async () => void (await task()));
  }

  /** Writes what is left and waits for every queued write; a failed write rejects here. */
  async close(): Promise<void> {
    if (this.redactor) this.buffer += this.redactor.flush();
    this.flush();
    await this.queue;
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer === "") return;
    const text = this.buffer;
    this.buffer = "";
    this.lastWrite = Date.now();
    this.queue = this.queue.then(() => this.writeText(text));
  }
}
