// Keeps every request that reached the fake upstream's /v1 routes, and how each one ended, so tests can
// prove what the gateway sent upstream and that a client disconnect aborted the upstream request.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RecordedRequest } from "./types";

export interface Recorder {
  /** The live list; reset() empties it in place so references to it stay current. */
  requests: RecordedRequest[];
  /** Records a request at arrival; the server fills in its body and its end as they happen. */
  record(request: IncomingMessage, path: string): RecordedRequest;
  /**
   * Records a request and follows its response: when it closes, its end is noted, and whether the
   * client left early (a drop the fake makes on purpose does not count). `signal` aborts on close.
   */
  track(request: IncomingMessage, response: ServerResponse, path: string): TrackedExchange;
  /** The recorded requests whose JSON body contains the text (all when it is null). */
  matching(contains: string | null): RecordedRequest[];
  reset(): void;
}

export interface TrackedExchange {
  recorded: RecordedRequest;
  signal: AbortSignal;
  /** Cuts the connection on purpose (a scripted fault), which is not the client closing early. */
  dropConnection: () => void;
}

export function createRecorder(): Recorder {
  const requests: RecordedRequest[] = [];
  let count = 0;
  return {
    requests,
    record(request, path) {
      count += 1;
      const recorded: RecordedRequest = {
        id: count,
        method: request.method ?? "GET",
        path,
        headers: lowerCasedHeaders(request),
        body: null,
        receivedAt: Date.now(),
        finishedAt: null,
        closedEarly: false,
      };
      requests.push(recorded);
      return recorded;
    },
    track(request, response, path) {
      const recorded = this.record(request, path);
      const closed = new AbortController();
      let droppedByServer = false;
      response.on("close", () => {
        recorded.finishedAt = Date.now();
        recorded.closedEarly = !response.writableEnded && !droppedByServer;
        closed.abort();
      });
      const dropConnection = () => {
        droppedByServer = true;
        response.destroy();
      };
      return { recorded, signal: closed.signal, dropConnection };
    },
    matching(contains) {
      if (contains === null) return requests;
      return requests.filter((recorded) => JSON.stringify(recorded.body).includes(contains));
    },
    reset() {
      requests.length = 0;
    },
  };
}

function lowerCasedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}
