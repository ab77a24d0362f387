// AWS event-stream framing for ConverseStream (docs.aws.amazon.com, "Event stream encoding"): each message is
// a prelude (total length, headers length, prelude CRC32), typed headers, the payload, and a CRC32 of the
// whole message. Encoded with @smithy/eventstream-codec, the codec the Bedrock provider decodes with.
import { EventStreamCodec } from "@smithy/eventstream-codec";

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** One `:message-type: event` frame whose `:event-type` is the event's name and whose payload is JSON. */
export function eventFrame(eventType: string, payload: object): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: new TextEncoder().encode(JSON.stringify(payload)),
  });
}

/** Decodes one frame (for tests). */
export function decodeFrame(frame: Uint8Array): { headers: Record<string, string>; payload: unknown } {
  const message = codec.decode(frame);
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
  return { headers, payload: JSON.parse(new TextDecoder().decode(message.body)) };
}
