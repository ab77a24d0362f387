// OpenAI's rate-limit headers: x-ratelimit-{limit,remaining,reset}-{requests,tokens}, with resets
// written as OpenAI writes them ("1s", "6m0s", "250ms").

export interface LimitStatus {
  limit: number;
  remaining: number;
  resetMs: number;
}

export function rateLimitHeaders(limits: { requests?: LimitStatus; tokens?: LimitStatus }): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const kind of ["requests", "tokens"] as const) {
    const status = limits[kind];
    if (status === undefined) continue;
    headers.push(
      [`x-ratelimit-limit-${kind}`, String(status.limit)],
      [`x-ratelimit-remaining-${kind}`, String(status.remaining)],
      [`x-ratelimit-reset-${kind}`, formatDuration(status.resetMs)],
    );
  }
  return headers;
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.max(0, Math.round(milliseconds))}ms`;
  const minutes = Math.floor(milliseconds / 60_000);
  const seconds = Math.round((milliseconds - minutes * 60_000) / 10) / 100;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
