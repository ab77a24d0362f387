// The shape of one request the fake upstream recorded, shared by the server (which records it) and by
// client.ts (which reads recordings over HTTP from other processes and runtimes).

export interface RecordedRequest {
  id: number;
  method: string;
  path: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body, or null when the body was empty or not JSON. */
  body: unknown;
  receivedAt: number;
  /** When the response ended or the connection closed; null while the request is still being served. */
  finishedAt: number | null;
  /** The client closed the connection before the response was complete. */
  closedEarly: boolean;
}
