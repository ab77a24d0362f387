// Runs every detector over a text and returns its PII as sorted, non-overlapping findings.
import type { PiiFinding } from "./categories";
import { findApiKeys } from "./apiKey";
import type { LaterPassDetector } from "./besidePlaceholders";
import { findAssignedSecrets, placeholderMayHelpAssignedSecrets } from "./assignedSecrets";
import { findCreditCards } from "./creditCard";
import { findEmails, placeholderMayHelpEmails } from "./email";
import { findIbans } from "./iban";
import { findIpv4Addresses, placeholderMayHelpIpv4 } from "./ipv4";
import { findIpv6Addresses } from "./ipv6";
import { findLabelledNumbers, placeholderMayHelpLabelledNumbers } from "./labelledNumbers";
import { resolveOverlaps } from "./overlaps";
import { findPhones, placeholderMayHelpPhones } from "./phone";
import { findPrivateKeys } from "./privateKey";
import { findServiceTokens, placeholderMayHelpServiceTokens } from "./serviceTokens";
import { findSsns } from "./ssn";
import { scanText, type TextScans } from "./textScans";

/**
 * A detector reads the text and takes the scans of it that detectors share (textScans.ts), made
 * once for all of them, or makes the ones it needs when not given.
 */
type Detector = (text: string, scans?: TextScans) => PiiFinding[];

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
 * The detectors that can find a value only once a neighbour of it has become a placeholder, each
 * with its rule for which placeholders can help it (besidePlaceholders.ts): each reads context past
 * its candidate's edges that a placeholder changes (labels and words looked back to, which a
 * redacted value's digit, "+" or "@" hid: labelled numbers, IPv4 version words, password phrases;
 * the four-digit group before a phone number), or cuts its candidate short of a redacted neighbour
 * into a value it judges apart from the edge (an address's local part after "[API_KEY].", a
 * service token whose alphabet holds "." and whose last "." is dropped as a full stop:
 * "SG.x.y.[IP_ADDRESS]"). The others judge a run of their own characters and its edges only, and
 * treat a placeholder at an edge as glued (boundaries.ts), so a placeholder can only take findings
 * away from them: a later pass leaves them out (rescan.test.ts holds them to it).
 */
export const DETECTORS_BESIDE_PLACEHOLDERS: ReadonlyArray<LaterPassDetector> = [
  { find: findServiceTokens, helpedBy: placeholderMayHelpServiceTokens },
  { find: findAssignedSecrets, helpedBy: placeholderMayHelpAssignedSecrets },
  { find: findEmails, helpedBy: placeholderMayHelpEmails },
  { find: findPhones, helpedBy: placeholderMayHelpPhones },
  { find: findLabelledNumbers, helpedBy: placeholderMayHelpLabelledNumbers },
  { find: findIpv4Addresses, helpedBy: placeholderMayHelpIpv4 },
];

/** Offsets are UTF-16 code units into `text`, as `String.prototype.slice` counts them. */
export function findPii(text: string, scans: TextScans = scanText(text)): PiiFinding[] {
  return resolveOverlaps(DETECTORS.flatMap((detect) => detect(text, scans)));
}
