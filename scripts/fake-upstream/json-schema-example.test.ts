// Unit tests for the JSON schema example maker behind structured outputs and generated tool arguments.
import { describe, expect, it } from "vitest";
import { exampleForSchema } from "./json-schema-example";

describe("exampleForSchema", () => {
  it("fills every property with the simplest value of its type", () => {
    const schema = {
      type: "object",
      properties: {
        name: { type: "string" },
        count: { type: "integer" },
        ratio: { type: "number" },
        enabled: { type: "boolean" },
        tags: { type: "array", items: { type: "string" } },
        nothing: { type: "null" },
      },
      required: ["name"],
    };
    expect(exampleForSchema(schema)).toEqual({ name: "example", count: 1, ratio: 1, enabled: true, tags: ["example"], nothing: null });
  });

  it("uses const and the first enum value", () => {
    expect(exampleForSchema({ const: "fixed" })).toBe("fixed");
    expect(exampleForSchema({ type: "string", enum: ["celsius", "fahrenheit"] })).toBe("celsius");
  });

  it("respects numeric and length bounds", () => {
    expect(exampleForSchema({ type: "integer", minimum: 18 })).toBe(18);
    expect(exampleForSchema({ type: "integer", exclusiveMinimum: 5 })).toBe(6);
    expect(exampleForSchema({ type: "number", maximum: 0.5 })).toBe(0.5);
    expect(exampleForSchema({ type: "string", minLength: 10 })).toHaveLength(10);
    expect(exampleForSchema({ type: "array", items: { type: "integer" }, minItems: 2 })).toEqual([1, 1]);
  });

  it("takes the first non-null branch of nullable types, anyOf and oneOf", () => {
    expect(exampleForSchema({ type: ["null", "integer"] })).toBe(1);
    expect(exampleForSchema({ anyOf: [{ type: "null" }, { type: "boolean" }] })).toBe(true);
    expect(exampleForSchema({ oneOf: [{ type: "number" }, { type: "string" }] })).toBe(1);
  });

  it("resolves local references under $defs and definitions", () => {
    const schema = {
      type: "object",
      properties: { home: { $ref: "#/$defs/Address" }, work: { $ref: "#/definitions/Address" } },
      $defs: { Address: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      definitions: { Address: { type: "object", properties: { zip: { type: "string", format: "uuid" } } } },
    };
    expect(exampleForSchema(schema)).toEqual({ home: { city: "example" }, work: { zip: "00000000-0000-4000-8000-000000000000" } });
  });

  it("merges allOf parts and gives required properties without a schema a value", () => {
    const schema = { allOf: [{ type: "object", properties: { a: { type: "integer" } } }, { type: "object", required: ["b"] }] };
    expect(exampleForSchema(schema)).toEqual({ a: 1, b: "example" });
  });

  it("stops descending into recursive schemas", () => {
    const schema = { $ref: "#/$defs/Node", $defs: { Node: { type: "object", properties: { child: { $ref: "#/$defs/Node" } } } } };
    expect(JSON.stringify(exampleForSchema(schema))).toContain("null");
  });
});
