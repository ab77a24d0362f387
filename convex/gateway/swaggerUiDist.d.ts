// Types for the one swagger-ui-dist module the docs route imports (the package ships no types).
declare module "swagger-ui-dist/absolute-path.js" {
  /** The directory holding the package's files. */
  export default function getAbsoluteFSPath(): string;
}
