// The current_time tool: the time now in an IANA time zone, as ISO 8601 UTC and as local wall time.

export function currentTime(timeZone: string, now: Date): { timeZone: string; utc: string; local: string } {
  let local: string;
  try {
    local = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    }).format(now);
  } catch {
    throw new Error(`'${timeZone}' is not an IANA time zone (for example 'America/New_York').`);
  }
  return { timeZone, utc: now.toISOString(), local };
}
