// A node:http request body as the web stream t.fetch takes, read as the gateway asks for it. When the
// gateway answers without reading it all (413 for an oversized body), the rest is read and dropped
// before the answer goes out, so that a client that writes its whole body before reading (Python's
// http.client, most simple clients) receives the answer instead of a broken pipe. A Convex deployment
// reads request bodies whole, so its clients see the same.
import type { IncomingMessage } from "node:http";

/** The longest a client may keep sending an unread body before the connection is dropped. */
const DISCARD_LIMIT_MS = 10_000;

export class RequestBody {
  private discarding = false;
  readonly stream: ReadableStream<Uint8Array>;

  /** `onChunk` sees each piece of the body the gateway reads, in order. */
  constructor(
    private readonly request: IncomingMessage,
    onChunk?: (chunk: Uint8Array) => void,
  ) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        request.pause();
        request.on("data", (chunk: Buffer) => {
          if (this.discarding) return;
          const piece = new Uint8Array(chunk);
          onChunk?.(piece);
          controller.enqueue(piece);
          if ((controller.desiredSize ?? 0) <= 0) request.pause();
        });
        request.once("end", () => {
          if (!this.discarding) controller.close();
        });
        request.once("error", (error) => {
          if (!this.discarding) controller.error(error);
        });
      },
      pull: () => {
        request.resume();
      },
      cancel: () => {
        this.startDiscarding();
      },
    });
  }

  /** Reads and drops whatever the gateway left unread; resolves once the client has sent it all. */
  async discardUnread(): Promise<void> {
    if (this.request.complete || this.request.destroyed) return;
    this.startDiscarding();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.request.destroy();
        resolve();
      }, DISCARD_LIMIT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.request.once("end", done);
      this.request.once("close", done);
    });
  }

  private startDiscarding(): void {
    this.discarding = true;
    this.request.resume();
  }
}
