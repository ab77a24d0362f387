// Rate limit windows are UTC minutes: a test that counts requests against one window waits for the
// next window when too little of the current one is left for it to finish inside.

/** Resolves at once, or at the start of the next UTC minute when less than `neededMs` of this one is left. */
export async function withinOneMinuteWindow(neededMs: number): Promise<void> {
  const leftInMinute = 60_000 - (Date.now() % 60_000);
  if (leftInMinute < neededMs) await new Promise((resolve) => setTimeout(resolve, leftInMinute + 100));
}
