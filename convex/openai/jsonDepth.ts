// How deeply a parsed JSON value nests. JSON.parse accepts any depth, but what follows it (validation,
// JSON.stringify of the request for the agent run and the upstream call) recurses, and a body nested a
// few thousand levels deep overflows the stack: such bodies are refused right after parsing, and so
// are tool-call arguments (JSON text inside the body) that nest too deep to be replayed.

/** Deeper than any real request (OpenAI caps structured-output schemas at 10 levels of objects). */
export const MAX_JSON_DEPTH = 100;

/** Whether objects and arrays nest deeper than `limit` levels; iterative, so any depth is safe to check. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[value: unknown, depth: number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Tool-call arguments as the object they encode: `{}` for empty text (some clients store a
 * no-argument call that way), null when the text is not a JSON object or nests past MAX_JSON_DEPTH.
 * The request door refuses such arguments; a stored reply's are replayed as `{}`.
 */
export function parseArgumentsObject(text: string): Record<string, unknown> | null {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || nestsDeeperThan(value, MAX_JSON_DEPTH)) return null;
  return value as Record<string, unknown>;
}
