// Command-line flags of the fakes' standalone runners: a whole number, or exit 2 saying which flag was wrong.
export function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    console.error(`--${flag} expects a whole number, got "${value}"`);
    process.exit(2);
  }
  return Number(value);
}
