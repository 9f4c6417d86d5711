/**
 * A customer's outbox entries of one kind (their quote requests, their return requests) as a
 * Relay connection, newest first: the cursor is the entry's sequence number, so a page stays put
 * while new requests arrive. The caller turns a page of entries into nodes (one ERP read for the
 * whole page).
 *
 * @module
 */
import type { OutboxEntry, OutboxStore } from '../../ports/outbox-store.ts';
import { decodeCursor, encodeCursor, pageSize } from '../../transport/graphql/cursor.ts';

/** Paging arguments as GraphQL passes them. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/** One page of `customerId`'s entries of `kind`, turned into nodes by `toNodes` (same order, same length). */
export async function outboxEntryConnection<N>(
  store: OutboxStore,
  kind: string,
  customerId: string,
  args: ConnectionArgs,
  toNodes: (entries: OutboxEntry[]) => Promise<N[]>,
) {
  const limit = pageSize(args.first, 20, 100);
  const beforeSeq = decodeCursor('offset', args.after) ?? undefined;
  const page = await store.listByCustomer(kind, customerId, { ...(beforeSeq ? { beforeSeq } : {}), limit });
  const nodes = await toNodes(page.entries);
  const last = page.entries.at(-1);
  return {
    edges: nodes.map((node, i) => ({ cursor: encodeCursor('offset', page.entries[i]!.seq), node })),
    pageInfo: {
      hasNextPage: page.hasMore,
      hasPreviousPage: beforeSeq !== undefined,
      startCursor: null,
      endCursor: last ? encodeCursor('offset', last.seq) : null,
    },
  };
}
