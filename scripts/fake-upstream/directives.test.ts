// Unit tests for parsing the prompt directives that script the fake upstream.
import { describe, expect, it } from "vitest";
import { DirectiveError, parseDirectives } from "./directives";

describe("parseDirectives", () => {
  it("removes directives from the echoed text without leaving double spaces", () => {
    const parsed = parseDirectives("[[delay:10]] Hello [[trickle:3]] world [[words:4]]");
    expect(parsed.text).toBe("Hello world");
    expect(parsed.current).toEqual({ firstTokenDelayMs: 10, interTokenDelayMs: 3, words: 4, calls: [] });
  });

  it("reads a reply up to the first closing brackets, keeping its spacing", () => {
    expect(parseDirectives("say [[reply:  exactly this, [ok] ]] please").current.reply).toBe("  exactly this, [ok] ");
  });

  it("reads every fault", () => {
    const faultOf = (value: string) => parseDirectives(`[[fault:${value}]]`).current.fault;
    expect(faultOf("500")).toEqual({ kind: "status", status: 500 });
    expect(faultOf("429")).toEqual({ kind: "status", status: 429 });
    expect(faultOf("401")).toEqual({ kind: "status", status: 401 });
    expect(faultOf("hang")).toEqual({ kind: "hang" });
    expect(faultOf("hang-after:3")).toEqual({ kind: "hang-after", chunks: 3 });
    expect(faultOf("reset")).toEqual({ kind: "reset" });
    expect(faultOf("malformed")).toEqual({ kind: "malformed" });
    expect(faultOf("empty")).toEqual({ kind: "empty" });
  });

  it("reads calls in order, with JSON arguments that may contain closing brackets", () => {
    const parsed = parseDirectives('[[call:lookup]] then [[call:search {"grid": [[1, 2]], "q": "a]]b"}]]');
    expect(parsed.current.calls).toEqual([
      { name: "lookup", arguments: null },
      { name: "search", arguments: '{"grid":[[1,2]],"q":"a]]b"}' },
    ]);
    expect(parsed.text).toBe("then");
  });

  it("keeps after-tools directives apart from those for the current reply", () => {
    const parsed = parseDirectives("[[call:lookup]] [[after-tools:reply:Done.]] [[after-tools:fault:500]]");
    expect(parsed.current).toEqual({ calls: [{ name: "lookup", arguments: null }] });
    expect(parsed.afterTools).toEqual({ reply: "Done.", fault: { kind: "status", status: 500 }, calls: [] });
  });

  it("reads content_filter as the finish directive", () => {
    expect(parseDirectives("[[finish:content_filter]]").current.contentFilter).toBe(true);
  });

  it("leaves unknown or unclosed bracket text alone", () => {
    expect(parseDirectives("keep [[PERSON]] and [[unknown:x]] and [[reply:open").text).toBe(
      "keep [[PERSON]] and [[unknown:x]] and [[reply:open",
    );
  });

  it("rejects known directives with bad values", () => {
    expect(() => parseDirectives("[[words:many]]")).toThrow(DirectiveError);
    expect(() => parseDirectives("[[fault:teapot]]")).toThrow(DirectiveError);
    expect(() => parseDirectives("[[finish:length]]")).toThrow(DirectiveError);
    expect(() => parseDirectives("[[call:bad name!]]")).toThrow(DirectiveError);
    expect(() => parseDirectives("[[call:lookup {not json}]]")).toThrow(DirectiveError);
    expect(() => parseDirectives("[[call:lookup [1]]]")).toThrow(DirectiveError);
  });
});
