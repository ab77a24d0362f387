// What the vitest globalSetup (global-setup.ts) provides to every test file, typed for `inject`.
export {};

declare module "vitest" {
  export interface ProvidedContext {
    upstreamUrl: string;
  }
}
