// OpenAI's model object and list shapes.
export interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export function modelObject(entry: { id: string; created: number; ownedBy: string }): ModelObject {
  return { id: entry.id, object: "model", created: entry.created, owned_by: entry.ownedBy };
}

export function modelList(entries: Array<{ id: string; created: number; ownedBy: string }>) {
  return { object: "list" as const, data: entries.map(modelObject) };
}
