// The four detectors under comparison, each behind one shape: text in, spans in our categories
// out. Libraries' own labels are mapped onto ours; labels with no counterpart map to null.
import { OpenRedaction, type OpenRedactionOptions } from "openredaction";
import { Redactor } from "@redactpii/node";
import redactPiiPackage from "redact-pii";
import { findPii, redactPii } from "../../../convex/pii/index";
import type { PiiCategory } from "../../../convex/pii/categories";
import type { PredictedSpan } from "../../../convex/pii/score";
import { alignRedacted } from "./align-redacted";

export interface Detector {
  name: string;
  /** How the detector was configured, for the report. */
  configuration: string;
  /** Spans in our categories, for scoring. */
  detect(text: string): Promise<PredictedSpan[]>;
  /** The library's own redaction call alone, for timing: span recovery is our cost, not theirs. */
  scrub(text: string): unknown;
}

/** openredaction names types per pattern (PHONE_UK, AWS_ACCESS_KEY, ...); map by family. */
export function mapOpenRedactionType(type: string): PiiCategory | null {
  if (/EMAIL/.test(type)) return "email";
  if (/PHONE|MOBILE|TELEPHONE|LANDLINE/.test(type)) return "phone";
  if (/CREDIT_CARD|CARD_NUMBER/.test(type)) return "credit_card";
  if (/^(US_)?SSN$|SOCIAL_SECURITY/.test(type)) return "ssn";
  if (/IBAN/.test(type)) return "iban";
  if (/^IP(V4|V6)?(_ADDRESS)?$/.test(type)) return "ip_address";
  if (/API_KEY|TOKEN|SECRET|PRIVATE_KEY|ACCESS_KEY|AWS|GITHUB|STRIPE|SLACK|JWT|OPENAI|ANTHROPIC|BEARER/.test(type)) {
    return "api_key";
  }
  return null;
}

const REDACTPII_NODE_PLACEHOLDERS: Record<string, PiiCategory | null> = {
  EMAIL_ADDRESS: "email",
  PHONE_NUMBER: "phone",
  CREDIT_CARD_NUMBER: "credit_card",
  US_SOCIAL_SECURITY_NUMBER: "ssn",
};

const REDACT_PII_PLACEHOLDERS: Record<string, PiiCategory | null> = {
  CREDIT_CARD_NUMBER: "credit_card",
  EMAIL_ADDRESS: "email",
  PHONE_NUMBER: "phone",
  US_SOCIAL_SECURITY_NUMBER: "ssn",
  IP_ADDRESS: "ip_address",
  CREDENTIALS: "api_key",
  PASSWORD: "api_key",
  USERNAME: null,
  ZIPCODE: null,
  DIGITS: null,
  URL: null,
};

function openRedactionDetector(name: string, options: OpenRedactionOptions): Detector {
  const openRedaction = new OpenRedaction(options);
  return {
    name,
    configuration: `new OpenRedaction(${JSON.stringify(options)}), detect()`,
    detect: async (text) =>
      (await openRedaction.detect(text)).detections.map((detection) => ({
        category: mapOpenRedactionType(detection.type),
        start: detection.position[0],
        end: detection.position[1],
      })),
    scrub: (text) => openRedaction.detect(text),
  };
}

export function makeDetectors(): Detector[] {
  const redactpiiNode = new Redactor({ rules: { CREDIT_CARD: true, EMAIL: true, PHONE: true, SSN: true, NAME: false } });
  const redactPiiSync = new redactPiiPackage.SyncRedactor({
    builtInRedactors: { names: { enabled: false }, streetAddress: { enabled: false } },
  });
  return [
    {
      name: "ours (convex/pii)",
      configuration: "findPii / redactPii",
      detect: async (text) => findPii(text),
      scrub: (text) => redactPii(text),
    },
    openRedactionDetector("openredaction 1.1.5", { includeNames: false, includeAddresses: false }),
    // Its default false-positive filter drops values that look like test data (example.com
    // addresses, "test" nearby), which is every value of a synthetic corpus; measured both ways.
    openRedactionDetector("openredaction 1.1.5, no FP filter", {
      includeNames: false,
      includeAddresses: false,
      enableFalsePositiveFilter: false,
    }),
    {
      name: "@redactpii/node 1.0.17",
      configuration: "new Redactor({ rules: { CREDIT_CARD, EMAIL, PHONE, SSN: true, NAME: false } }), redact()",
      detect: async (text) => alignRedacted(text, redactpiiNode.redact(text), REDACTPII_NODE_PLACEHOLDERS),
      scrub: (text) => redactpiiNode.redact(text),
    },
    {
      name: "redact-pii 3.4.0",
      configuration: "new SyncRedactor({ builtInRedactors: { names, streetAddress: disabled } }), redact()",
      detect: async (text) => alignRedacted(text, redactPiiSync.redact(text), REDACT_PII_PLACEHOLDERS),
      scrub: (text) => redactPiiSync.redact(text),
    },
  ];
}
