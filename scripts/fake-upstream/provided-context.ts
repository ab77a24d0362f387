// What the vitest globalSetup (global-setup.ts) provides to every test file, typed for `inject`.
export {};

declare module "vitest" {
  export interface ProvidedContext {
    upstreamUrl: string;
    /** A second OpenAI-compatible fake (".../v1"), for failover between two servers. */
    backupUpstreamUrl: string;
    /** The Anthropic Messages fake's base URL (".../v1"), for createAnthropic({ baseURL }). */
    anthropicUrl: string;
    /** The Bedrock runtime fake's base URL (no path; SigV4 scoped to us-east-1), for createAmazonBedrock({ baseURL }). */
    bedrockUrl: string;
    /** The only credentials whose SigV4 signatures the Bedrock fake accepts. */
    bedrockCredentials: { accessKeyId: string; secretAccessKey: string };
    /** The Google Generative Language fake's base URL (".../v1beta"), for createGoogleGenerativeAI({ baseURL }). */
    googleUrl: string;
  }
}
