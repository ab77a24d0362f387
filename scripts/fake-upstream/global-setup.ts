// Vitest globalSetup: starts one fake upstream for the whole test run and hands its URL to every test
// file through provide/inject (setup-env.ts turns it into OPENAI_BASE_URL).
import type { TestProject } from "vitest/node";
import { startFakeUpstream } from "./server";
import "./provided-context";


export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startFakeUpstream();
  project.provide("upstreamUrl", upstream.url);
  return () => upstream.close();
}
