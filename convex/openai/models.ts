// OpenAI's model object and list shapes.
import type { ModelList, ModelObject } from "./responseSchemas";

export function modelObject(entry: { id: string; created: number; ownedBy: string }): ModelObject {
  return { id: entry.id, object: "model", created: entry.created, owned_by: entry.ownedBy };
}

export function modelList(entries: Array<{ id: string; created: number; ownedBy: string }>): ModelList {
  return { object: "list", data: entries.map(modelObject) };
}
