// The two ways a chat request is served (CONTRACT.md, "Two modes"): a request with client `tools` is
// relayed from the upstream by the HTTP action, one without runs the agent server-side. Wire-format
// tests run in both. (Files with two dots are never deployed by Convex.)

/** A client tool the fake upstream never calls unless a prompt asks it to: it only selects the mode. */
export const MODE_SELECTING_TOOL = {
  type: "function",
  function: { name: "lookup_order", description: "Look up an order", parameters: { type: "object", properties: { id: { type: "string" } } } },
};

export const MODES = [
  { name: "agent mode", fields: {} },
  { name: "client-tool mode", fields: { tools: [MODE_SELECTING_TOOL] } },
] as const;

/** The fields that put a request in client-tool mode. */
export const CLIENT_TOOL_MODE = MODES[1].fields;
