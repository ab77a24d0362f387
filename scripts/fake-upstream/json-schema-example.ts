// Makes a value that satisfies a JSON schema, for structured outputs (response_format json_schema) and
// for tool-call arguments the prompt did not spell out. It covers what OpenAI strict schemas and zod's
// JSON Schema output use; it is an example maker, not a validator.

type Schema = Record<string, unknown>;

// Recursive schemas (a tree whose nodes hold nodes) would otherwise nest forever.
const deepestLevel = 8;

export function exampleForSchema(schema: unknown): unknown {
  return exampleAt(schema, schema, 0);
}

function exampleAt(schema: unknown, root: unknown, depth: number): unknown {
  if (depth > deepestLevel) return null;
  if (!isSchema(schema)) return "example";
  if (typeof schema.$ref === "string") return exampleAt(resolveReference(schema.$ref, root), root, depth + 1);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) return exampleAt(firstNonNull(branches), root, depth + 1);
  if (Array.isArray(schema.allOf)) return mergeAll(schema.allOf.map((part) => exampleAt(part, root, depth + 1)));
  switch (typeOf(schema)) {
    case "object":
      return objectExample(schema, root, depth);
    case "array":
      return arrayExample(schema, root, depth);
    case "integer":
      return numberExample(schema, true);
    case "number":
      return numberExample(schema, false);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return stringExample(schema);
  }
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Resolves a local reference such as "#/$defs/Address" or "#/definitions/Address" against the root. */
function resolveReference(reference: string, root: unknown): unknown {
  if (!reference.startsWith("#")) return {};
  const segments = reference.slice(1).split("/").filter((segment) => segment !== "");
  let target: unknown = root;
  for (const segment of segments) {
    const key = decodeURIComponent(segment).replaceAll("~1", "/").replaceAll("~0", "~");
    target = isSchema(target) ? target[key] : undefined;
  }
  return target ?? {};
}

function firstNonNull(branches: unknown[]): unknown {
  return branches.find((branch) => !(isSchema(branch) && branch.type === "null")) ?? branches[0];
}

function mergeAll(parts: unknown[]): unknown {
  if (parts.every(isSchema)) return Object.assign({}, ...parts);
  return parts[0];
}

/** The schema's type; a list such as ["string", "null"] gives its first non-null entry. */
function typeOf(schema: Schema): unknown {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((entry) => entry !== "null") ?? "null";
  if (type !== undefined) return type;
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined || schema.prefixItems !== undefined) return "array";
  return undefined;
}

function objectExample(schema: Schema, root: unknown, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === "string") : [];
  const example: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) example[name] = exampleAt(property, root, depth + 1);
  for (const name of required) if (!(name in example)) example[name] = "example";
  return example;
}

function arrayExample(schema: Schema, root: unknown, depth: number): unknown[] {
  if (Array.isArray(schema.prefixItems)) return schema.prefixItems.map((item) => exampleAt(item, root, depth + 1));
  const count = Math.max(1, typeof schema.minItems === "number" ? schema.minItems : 1);
  return Array.from({ length: count }, () => exampleAt(schema.items ?? {}, root, depth + 1));
}

function numberExample(schema: Schema, integer: boolean): number {
  let value = 1;
  if (typeof schema.minimum === "number") value = Math.max(value, schema.minimum);
  if (typeof schema.exclusiveMinimum === "number") value = Math.max(value, schema.exclusiveMinimum + 1);
  if (typeof schema.maximum === "number") value = Math.min(value, schema.maximum);
  if (typeof schema.exclusiveMaximum === "number") value = Math.min(value, schema.exclusiveMaximum - 1);
  return integer ? Math.ceil(value) : value;
}

// Formats zod and OpenAI schemas commonly use; a plain "example" would fail their validators.
const formatExamples: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00",
  email: "user@example.com",
  uri: "https://example.com",
  url: "https://example.com",
  uuid: "00000000-0000-4000-8000-000000000000",
};

function stringExample(schema: Schema): string {
  const example = (typeof schema.format === "string" ? formatExamples[schema.format] : undefined) ?? "example";
  const minimumLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const padded = example.padEnd(minimumLength, "x");
  return typeof schema.maxLength === "number" ? padded.slice(0, schema.maxLength) : padded;
}
