// Email addresses: a local part, "@", and a domain of at least two labels ending in an alphabetic
// top-level label; internationalised addresses ("renée@exämple.com") included. Found by walking out
// from each "@" rather than with a regex: a walk stops at the next "@", so however many "@" signs
// a text holds, each character is walked at most twice and nothing backtracks. Git remotes are not
// addresses: `git@host:org/repo.git` (a path right after the host) and `ssh://git@host` (a URL's
// user before its host).
import type { PiiFinding } from "./categories";
import { isGluedAfter, isGluedBefore } from "./boundaries";
import { isAlphanumeric, isLetter, isNonAsciiLetter } from "./characters";
import type { ScannedText, WrittenPlaceholder } from "./besidePlaceholders";

const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const MIN_TLD_LENGTH = 2;
const MAX_TLD_LENGTH = 24;
// "logo@2x.png" is an asset name, not an address: image extensions are not top-level domains.
const IMAGE_EXTENSIONS = new Set(["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "tif", "tiff"]);

export function findEmails(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  // An accepted address ends here; the next one's local part may not reach back into it.
  let floor = 0;
  let at = text.indexOf("@");
  while (at !== -1) {
    const start = localPartStart(text, at, floor);
    const end = start === -1 ? -1 : domainEnd(text, at);
    if (start !== -1 && end !== -1) {
      findings.push({ category: "email", start, end });
      floor = end;
    }
    at = text.indexOf("@", Math.max(at + 1, floor));
  }
  return findings;
}

/** The farthest an address's domain and the ":" after it reach back from a placeholder. */
const DOMAIN_REACH = MAX_DOMAIN_LENGTH + 2;

/**
 * Where a placeholder can change an address verdict (besidePlaceholders.ts). Before a local part:
 * the walk back from "@" stops at the placeholder, and dots after it are trimmed ("[API_KEY].doe@"),
 * so the local-part characters after it run to an "@". After a domain: its end reads the next
 * characters (a placeholder glued to it rejects it, but after ":" it is no remote path), so an "@"
 * stands in the run of non-space characters before it.
 */
export function placeholderMayHelpEmails({ text }: ScannedText, placeholder: WrittenPlaceholder): boolean {
  let after = placeholder.end;
  while (after < placeholder.nextStart && isLocalCharacter(text.charCodeAt(after))) after++;
  if (text.charCodeAt(after) === 64) return true;
  let before = placeholder.start;
  const floor = Math.max(placeholder.previousEnd, placeholder.start - DOMAIN_REACH);
  while (before > floor && text.charCodeAt(before - 1) > 32 && text.charCodeAt(before - 1) !== 64) before--;
  return text.charCodeAt(before - 1) === 64;
}

/** `[A-Za-z0-9._%+-]` and non-ASCII letters: the unquoted local-part characters people use. */
function isLocalCharacter(code: number): boolean {
  return (
    isAlphanumeric(code) ||
    code === 46 ||
    code === 95 ||
    code === 37 ||
    code === 43 ||
    code === 45 ||
    isNonAsciiLetter(code)
  );
}

/** After "host:", a path ("org/repo.git", "~/repo") rather than a space or a port's digits. */
function isRemotePathStart(code: number): boolean {
  return isLetter(code) || code === 126 || code === 47 || code === 95;
}

function localPartStart(text: string, at: number, floor: number): number {
  let start = at;
  // No length limit: a local part longer than the RFC's 64 characters is still someone's address,
  // and each character is walked by one "@" only, since the walk stops at the previous one.
  while (start > floor && isLocalCharacter(text.charCodeAt(start - 1))) start--;
  // Dots never repeat inside an address: "see...bob@" is punctuation followed by the address.
  for (let index = at - 1; index > start; index--) {
    if (text.charCodeAt(index) === 46 && text.charCodeAt(index - 1) === 46) {
      start = index + 1;
      break;
    }
  }
  while (start < at && text.charCodeAt(start) === 46) start++;
  if (start === at || text.charCodeAt(at - 1) === 46 || isGluedBefore(text, start)) return -1;
  // "ssh://git@host": the user of a URL, not a mailbox.
  if (text.startsWith("://", start - 3)) return -1;
  return start;
}

/** The end of the longest valid domain after `at`, or -1 when there is none. */
function domainEnd(text: string, at: number): number {
  let position = at + 1;
  let labels = 0;
  let end = -1;
  while (position - at <= MAX_DOMAIN_LENGTH) {
    const labelStart = position;
    let allLetters = true;
    while (position - labelStart < MAX_LABEL_LENGTH) {
      const code = text.charCodeAt(position);
      if (isAlphanumeric(code) || isNonAsciiLetter(code)) {
        if (!isLetter(code) && !isNonAsciiLetter(code)) allLetters = false;
      } else if (code === 45) {
        allLetters = false;
      } else {
        break;
      }
      position++;
    }
    const length = position - labelStart;
    if (length === 0 || text.charCodeAt(labelStart) === 45 || text.charCodeAt(position - 1) === 45) break;
    labels++;
    const isTopLevel =
      allLetters &&
      length >= MIN_TLD_LENGTH &&
      length <= MAX_TLD_LENGTH &&
      !IMAGE_EXTENSIONS.has(text.slice(labelStart, position).toLowerCase());
    if (labels >= 2 && isTopLevel) end = position;
    if (text.charCodeAt(position) !== 46) break;
    position++;
  }
  // "bob@example.com_x" or "bob@example.com-x" continues an identifier, so it is not an address.
  if (end !== -1) {
    const next = text.charCodeAt(end);
    if (isGluedAfter(text, end) || next === 45 || isNonAsciiLetter(next)) return -1;
    if (next === 58 && isRemotePathStart(text.charCodeAt(end + 1))) return -1;
  }
  return end;
}
