// Runs every detector over a text and returns its PII as sorted, non-overlapping findings.
import type { PiiFinding } from "./categories";
import { findApiKeys } from "./apiKey";
import { findAssignedSecrets } from "./assignedSecrets";
import { findCreditCards } from "./creditCard";
import { findEmails } from "./email";
import { findIbans } from "./iban";
import { findIpv4Addresses } from "./ipv4";
import { findIpv6Addresses } from "./ipv6";
import { findLabelledNumbers } from "./labelledNumbers";
import { findNumberRuns, type NumberRuns } from "./numberRuns";
import { resolveOverlaps } from "./overlaps";
import { findPhones } from "./phone";
import { findPrivateKeys } from "./privateKey";
import { findServiceTokens } from "./serviceTokens";
import { findSsns } from "./ssn";

/**
 * A detector reads the text; the digit detectors (cards, SSNs, phones, labelled numbers) also take
 * its number runs, found once for all of them (numberRuns.ts), or find them when not given.
 */
type Detector = (text: string, runs?: NumberRuns) => PiiFinding[];

export const DETECTORS: ReadonlyArray<Detector> = [
  findPrivateKeys,
  findApiKeys,
  findServiceTokens,
  findAssignedSecrets,
  findEmails,
  findCreditCards,
  findIbans,
  findSsns,
  findPhones,
  findLabelledNumbers,
  findIpv4Addresses,
  findIpv6Addresses,
];

/**
 * The detectors that can find a value only once a neighbour of it has become a placeholder: each
 * reads context past its candidate's edges that a placeholder changes (labels and words looked
 * back to, which a redacted value's digit, "+" or "@" hid: labelled numbers, IPv4 version words,
 * password phrases; the four-digit group before a phone number), or cuts its candidate short of a
 * redacted neighbour into a value it judges apart from the edge (an address's local part after
 * "[API_KEY].", a service token whose alphabet holds "." and whose last "." is dropped as a full
 * stop: "SG.x.y.[IP_ADDRESS]"). The others judge a run of their own characters and its edges
 * only, and treat a placeholder at an edge as glued (boundaries.ts), so a placeholder can only
 * take findings away from them: a later pass leaves them out (rescan.test.ts holds them to it).
 */
export const DETECTORS_BESIDE_PLACEHOLDERS: ReadonlyArray<Detector> = [
  findServiceTokens,
  findAssignedSecrets,
  findEmails,
  findPhones,
  findLabelledNumbers,
  findIpv4Addresses,
];

/** Offsets are UTF-16 code units into `text`, as `String.prototype.slice` counts them. */
export function findPii(text: string, runs: NumberRuns = findNumberRuns(text)): PiiFinding[] {
  return resolveOverlaps(DETECTORS.flatMap((detect) => detect(text, runs)));
}

/** What a later redaction pass can find on a text whose earlier passes' findings are placeholders. */
export function findPiiBesidePlaceholders(text: string, runs: NumberRuns = findNumberRuns(text)): PiiFinding[] {
  return resolveOverlaps(DETECTORS_BESIDE_PLACEHOLDERS.flatMap((detect) => detect(text, runs)));
}
