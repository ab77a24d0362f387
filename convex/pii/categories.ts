// The PII categories the gateway detects, the placeholder each is redacted to (the contract's
// "PII placeholders"), and the shapes findings and counts travel in.

export type PiiCategory = "email" | "phone" | "credit_card" | "ssn" | "iban" | "ip_address" | "api_key";

export const PII_PLACEHOLDERS: Record<PiiCategory, string> = {
  email: "[EMAIL]",
  phone: "[PHONE]",
  credit_card: "[CREDIT_CARD]",
  ssn: "[SSN]",
  iban: "[IBAN]",
  ip_address: "[IP_ADDRESS]",
  api_key: "[API_KEY]",
};

export const PII_CATEGORIES = Object.keys(PII_PLACEHOLDERS) as PiiCategory[];

/** A stretch of a text: `start` and `end` are UTF-16 offsets into it, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A detected value, as a span of the scanned text. */
export interface PiiFinding extends Span {
  category: PiiCategory;
}

export type PiiCounts = Partial<Record<PiiCategory, number>>;

/**
 * When two findings partly overlap, the one whose category ranks higher names the redacted span.
 * Secrets come first because leaking one is the costliest mistake; the structured numbers with
 * checksums (card, IBAN) come before the looser shapes (SSN, phone, IP).
 */
export const CATEGORY_PRIORITY: Record<PiiCategory, number> = {
  api_key: 7,
  email: 6,
  credit_card: 5,
  iban: 4,
  ssn: 3,
  phone: 2,
  ip_address: 1,
};
