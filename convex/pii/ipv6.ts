// IPv6 addresses: eight hex groups, the "::" compressed form, and a trailing embedded IPv4
// ("::ffff:192.0.2.1"). Candidates are whole runs of hex digits, colons and dots around a colon,
// parsed in code; clock times ("12:30:45"), MAC addresses (six groups) and "::" alone do not parse.
import type { PiiFinding } from "./categories";
import { isGluedAfter, isGluedBefore } from "./boundaries";
import { isHexDigit } from "./characters";
import { isIpv4 } from "./ipv4";

// "1111:2222:3333:4444:5555:6666:255.255.255.255" is the longest textual form.
const MAX_ADDRESS_LENGTH = 45;

export function isIpv6(value: string): boolean {
  let address = value;
  const lastColon = address.lastIndexOf(":");
  if (address.indexOf(".", lastColon) !== -1) {
    if (!isIpv4(address.slice(lastColon + 1))) return false;
    // The embedded IPv4 stands for the last two groups.
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  if (!/\d/.test(address) || address.includes(":::")) return false;
  const compressed = address.indexOf("::");
  if (compressed === -1) return groupsAreValid(address.split(":"), 8, 8);
  if (address.indexOf("::", compressed + 1) !== -1) return false;
  const head = address.slice(0, compressed);
  const tail = address.slice(compressed + 2);
  const groups = [...(head === "" ? [] : head.split(":")), ...(tail === "" ? [] : tail.split(":"))];
  return groupsAreValid(groups, 1, 7);
}

function groupsAreValid(groups: string[], min: number, max: number): boolean {
  return groups.length >= min && groups.length <= max && groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group));
}

function isAddressCharacter(code: number): boolean {
  return isHexDigit(code) || code === 58 || code === 46;
}

export function findIpv6Addresses(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  // Colons are rarer than hex letters in prose, so the search keys on them and then takes the
  // whole run around each; the next search starts after the run, so every run is walked once.
  let runEnd = 0;
  let colon = text.indexOf(":");
  while (colon !== -1) {
    let start = colon;
    while (start > runEnd && isAddressCharacter(text.charCodeAt(start - 1))) start--;
    runEnd = colon + 1;
    while (isAddressCharacter(text.charCodeAt(runEnd))) runEnd++;
    const end = trimmedEnd(text, start, runEnd);
    const bounded = !isGluedBefore(text, start) && !isGluedAfter(text, runEnd);
    // Every form holds two colons at least; a run with one ("10:30", "To:") is not parsed.
    const twoColons = text.lastIndexOf(":", end - 1) > colon;
    if (bounded && twoColons && end - start <= MAX_ADDRESS_LENGTH && isIpv6(text.slice(start, end))) {
      findings.push({ category: "ip_address", start, end });
    }
    colon = text.indexOf(":", runEnd);
  }
  return findings;
}

/** A sentence may end right after the address ("...::1." or "fe80::1:"). */
function trimmedEnd(text: string, start: number, runEnd: number): number {
  let end = runEnd;
  if (end > start && text.charCodeAt(end - 1) === 46) end--;
  if (end > start + 1 && text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) !== 58) end--;
  return end;
}
