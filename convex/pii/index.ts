// The PII module's public surface: detect and redact emails, phone numbers, payment cards, US
// SSNs, IBANs, IP addresses and secrets in text, in JSON documents and behind JSON escapes.
// Pure TypeScript, safe in the Convex runtime.
export { PII_PLACEHOLDERS, type PiiCategory, type PiiCounts, type PiiFinding } from "./categories";
export { decodeEscapes } from "./escapes";
export { findPii } from "./findPii";
export { addCounts, redactPii } from "./redact";
export { redactText, redactWrittenText } from "./redactText";
export { escapeRegExp } from "./regExps";
