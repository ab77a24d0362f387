// The per-document rules of Convex's limits page ("Documents"): size, fields per object, field name
// length, nesting depth and array length. Pure functions over Convex values, used on every document a
// metered function writes, before the write reaches convex-test's store.
import { getDocumentSize, type Value } from "convex/values";
import type { LimitName } from "./limits.testing";

/** The limits in force; null means that limit is only measured, not enforced. */
export type EffectiveLimits = { readonly [name in LimitName]: number | null };

/** A rule a value breaks: which limit, by how much, and where in the value. */
export interface Breach {
  limit: LimitName;
  maximum: number;
  actual: number;
  detail: string;
}

type DocumentValue = Record<string, Value>;

/** The first documented rule `document` (a whole document, system fields optional) breaks, or null. */
export function documentBreach(document: DocumentValue, limits: EffectiveLimits): Breach | null {
  const size = getDocumentSize(document);
  if (limits.documentSize !== null && size > limits.documentSize) {
    return { limit: "documentSize", maximum: limits.documentSize, actual: size, detail: "bytes" };
  }
  return objectBreach(document, 0, "", limits);
}

function objectBreach(object: DocumentValue, depth: number, path: string, limits: EffectiveLimits): Breach | null {
  const keys = Object.keys(object).filter((key) => object[key] !== undefined);
  if (limits.objectFields !== null && keys.length > limits.objectFields) {
    return { limit: "objectFields", maximum: limits.objectFields, actual: keys.length, detail: at(path) };
  }
  const nameLimit = depth === 0 ? limits.fieldNameLength : limits.nestedFieldNameLength;
  for (const key of keys) {
    const fieldPath = path ? `${path}.${key}` : key;
    if (nameLimit !== null && key.length > nameLimit) {
      return {
        limit: depth === 0 ? "fieldNameLength" : "nestedFieldNameLength",
        maximum: nameLimit,
        actual: key.length,
        detail: at(fieldPath),
      };
    }
    const breach = valueBreach(object[key] as Value, depth, fieldPath, limits);
    if (breach) return breach;
  }
  return null;
}

/** `depth` counts the arrays and objects around `value`; the document itself is depth 0. */
function valueBreach(value: Value, depth: number, path: string, limits: EffectiveLimits): Breach | null {
  const isArray = Array.isArray(value);
  const isObject = !isArray && typeof value === "object" && value !== null && !(value instanceof ArrayBuffer);
  if (!isArray && !isObject) return null;
  const nested = depth + 1;
  if (limits.nestingDepth !== null && nested > limits.nestingDepth) {
    return { limit: "nestingDepth", maximum: limits.nestingDepth, actual: nested, detail: at(path) };
  }
  if (isArray) {
    if (limits.arrayElements !== null && value.length > limits.arrayElements) {
      return { limit: "arrayElements", maximum: limits.arrayElements, actual: value.length, detail: at(path) };
    }
    for (const [index, element] of value.entries()) {
      const breach = valueBreach(element, nested, `${path}[${index}]`, limits);
      if (breach) return breach;
    }
    return null;
  }
  return objectBreach(value as DocumentValue, nested, path, limits);
}

function at(path: string): string {
  return path ? `at ${path}` : "at the top level";
}
