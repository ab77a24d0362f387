// Cursor pages for operator lists (tenants, requests, audit events): Convex's own `.paginate()` over an
// index, with the page size bounded and a cursor the store does not recognise refused as a 400.
import { v, type ObjectType } from "convex/values";
import type { DocumentByInfo, GenericTableInfo, OrderedQuery } from "convex/server";
import { adminError } from "./keys";

/** Rows per page unless `limit` says otherwise, and the most it may say. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export const pageArgs = {
  limit: v.optional(v.number()),
  /** The `nextCursor` of the previous page; absent or null for the first. */
  cursor: v.optional(v.union(v.string(), v.null())),
};
export type PageArgs = ObjectType<typeof pageArgs>;

export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw adminError("invalid_value", "limit", `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}; got ${limit}.`);
  }
  return limit;
}

/** One page; `nextCursor` is null on the last page. */
export async function pageOf<Table extends GenericTableInfo>(
  query: OrderedQuery<Table>,
  args: PageArgs,
): Promise<{ data: DocumentByInfo<Table>[]; nextCursor: string | null }> {
  const numItems = checkLimit(args.limit);
  let result;
  try {
    result = await query.paginate({ numItems, cursor: args.cursor ?? null });
  } catch {
    throw adminError("invalid_value", "cursor", "This cursor is not one this list returned; start again without it.");
  }
  return { data: result.page, nextCursor: result.isDone ? null : result.continueCursor };
}
