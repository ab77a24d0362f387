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
import { resolveOverlaps } from "./overlaps";
import { findPhones } from "./phone";
import { findPrivateKeys } from "./privateKey";
import { findServiceTokens } from "./serviceTokens";
import { findSsns } from "./ssn";

const DETECTORS: ReadonlyArray<(text: string) => PiiFinding[]> = [
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

/** Offsets are UTF-16 code units into `text`, as `String.prototype.slice` counts them. */
export function findPii(text: string): PiiFinding[] {
  return resolveOverlaps(DETECTORS.flatMap((detect) => detect(text)));
}
