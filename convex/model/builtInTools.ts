// The names of the gateway's built-in server tools. Any other name in an agent's `tools` is one of its
// tenant's webhook tools.
export const BUILT_IN_TOOLS = ["calculator", "current_time", "knowledge_search"] as const;

export function isBuiltInTool(name: string): boolean {
  return (BUILT_IN_TOOLS as readonly string[]).includes(name);
}
