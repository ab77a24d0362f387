// Test support for the settings the gateway reads from the environment (convex/upstream/config.ts):
// set one for a test and restore it after. The one test module that touches process.env.
// (Files with two dots are never deployed by Convex.)
const saved = new Map<string, string | undefined>();

/** Sets an environment variable until restoreEnvironment() runs (register it with afterEach). */
export function setEnvironment(name: string, value: string): void {
  if (!saved.has(name)) saved.set(name, process.env[name]);
  process.env[name] = value;
}

export function restoreEnvironment(): void {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  saved.clear();
}
