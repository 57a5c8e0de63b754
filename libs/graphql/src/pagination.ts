// Relay-style connections with opaque keyset cursors (createdAt, id).
import { ClassType, Directive, Field, ObjectType } from 'type-graphql';
import { badInput, validate } from '@packets/http';

@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> { cursor: string; node: T }
export interface ConnectionShape<T> { edges: Edge<T>[]; pageInfo: PageInfo }

export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => nodeType) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionType;
}

export interface Cursor { createdAt: Date; id: string }

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

/**
 * A cursor this API handed out, or BAD_USER_INPUT: exactly "<ISO time>|<uuid>" (ids are
 * UUIDs everywhere), so nothing malformed reaches SQL and comes back as a 500.
 */
export function decodeCursor(cursor: string | null | undefined): Cursor | null {
  if (!cursor) return null;
  const parts = cursor.length <= 200 ? Buffer.from(cursor, 'base64url').toString('utf8').split('|') : [];
  const [at, id] = parts;
  const createdAt = new Date(at ?? '');
  if (parts.length !== 2 || !id || !validate.isUuid(id) || !ISO_TIME.test(at!) || Number.isNaN(createdAt.getTime())) {
    throw badInput('after is not a valid cursor', 'after');
  }
  return { createdAt, id };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const MAX_PAGE = 100;
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`, 'first');
  return n;
}

/** Rows must be fetched with limit size+1, newest first, ordered by the cursor's key. */
export function toConnection<R, N>(
  rows: R[], size: number, map: (row: R) => N,
  cursorOf: (row: R) => Cursor = (row) => row as unknown as Cursor,
): ConnectionShape<N> {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: map(row) }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
