// Admission step: the tenant's governance policy over everything that would go upstream, before
// anything is stored or sent: blocked terms, then PII (redacted or refused, as the policy says), then
// the turns the client resent are recognised and dropped, each new turn is checked to fit one stored
// document, the history is trimmed to what can be replayed, and the transcript is checked for tool
// results that answer no call. Pure but for hashing: takes the stored history and the request's messages.
import type { Doc } from "../../_generated/dataModel";
import type { GatewayError } from "../../openai/errors";
import { replayableTranscript, unansweredToolResult, type TranscriptMessage } from "../../openai/transcript";
import type { PiiCounts } from "../../pii";
import { findBlockedTerm } from "../blockedTerms";
import { redactTranscript } from "../transcriptPii";
import { MAX_MESSAGE_BYTES, messageBytes, resentPrefixLength, type StoredTurn } from "../conversations";

export interface Governed {
  /** What goes upstream: the stored history, then the request's new turns, scrubbed as the policy says. */
  transcript: TranscriptMessage[];
  /** The request's turns that are not already stored: what gets appended to the conversation. */
  newTurns: TranscriptMessage[];
  /** PII values redacted from this request's messages, by category. */
  counts: PiiCounts;
}

export type Governance = ({ ok: true } & Governed) | { ok: false; error: GatewayError; detail?: string };

/** `storedChain`: the hash chain of the conversation's client-visible transcript, null for a new conversation. */
export function govern(
  policy: Doc<"tenants">["policy"],
  stored: StoredTurn[],
  incoming: TranscriptMessage[],
  storedChain: string | null = null,
): Governance {
  const history = stored.map((turn) => turn.message);
  const blockedTerm = findBlockedTerm(policy.blockedTerms, [...history, ...incoming]);
  if (blockedTerm !== null) {
    return {
      ok: false,
      error: { code: "content_policy_violation", param: "messages", message: "Your request contains a term your organization's policy blocks." },
      detail: `blocked term: ${blockedTerm}`,
    };
  }
  const scrubbed = scrub(policy.pii, history, incoming);
  if (!scrubbed.ok) return scrubbed;

  const seenByClient = scrubbed.history.filter((_, index) => !stored[index]!.serverStep);
  const resent = resentPrefixLength(seenByClient, scrubbed.incoming, storedChain);
  const newTurns = scrubbed.incoming.slice(resent);
  const oversized = newTurns.findIndex((message) => messageBytes(message) > MAX_MESSAGE_BYTES);
  if (oversized !== -1) {
    return {
      ok: false,
      error: {
        code: "invalid_value",
        param: `messages[${resent + oversized}]`,
        message: `This message is ${messageBytes(newTurns[oversized]!)} bytes once stored; one message may be at most ${MAX_MESSAGE_BYTES} bytes.`,
      },
    };
  }
  const transcript = replayableTranscript([...scrubbed.history, ...newTurns], scrubbed.history.length).map(({ message }) => message);
  const unanswered = unansweredToolResult(transcript);
  if (unanswered) return { ok: false, error: unanswered };
  return { ok: true, transcript, newTurns, counts: scrubbed.counts };
}

type Scrubbed =
  | { ok: true; history: TranscriptMessage[]; incoming: TranscriptMessage[]; counts: PiiCounts }
  | { ok: false; error: GatewayError };

/** Applies the tenant's PII mode to the stored history and the request's messages alike. */
function scrub(mode: Doc<"tenants">["policy"]["pii"], history: TranscriptMessage[], incoming: TranscriptMessage[]): Scrubbed {
  if (mode === "off") return { ok: true, history, incoming, counts: {} };
  const redactedHistory = redactTranscript(history);
  const redactedIncoming = redactTranscript(incoming);
  if (mode === "block") {
    const categories = [...new Set([...Object.keys(redactedHistory.counts), ...Object.keys(redactedIncoming.counts)])].sort();
    if (categories.length > 0) {
      return {
        ok: false,
        error: {
          code: "pii_detected",
          param: "messages",
          message: `Your request contains personal data your organization's policy blocks: ${categories.join(", ")}.`,
        },
      };
    }
  }
  // Only the request's own values count as redactions of this request; stored history was counted when stored.
  return { ok: true, history: redactedHistory.messages, incoming: redactedIncoming.messages, counts: redactedIncoming.counts };
}
