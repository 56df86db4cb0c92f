import { HubError } from './errors';

/** Opaque page cursors: the sort key of the last item served, base64url-encoded JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What each part of a cursor must be: a timestamp we wrote (ISO 8601), an id, a position, or an amount. */
type CursorPart = 'timestamp' | 'string' | 'position' | 'decimal';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const fits: Record<CursorPart, (part: unknown) => boolean> = {
  timestamp: (part) => typeof part === 'string' && ISO_TIMESTAMP.test(part) && !Number.isNaN(Date.parse(part)),
  string: (part) => typeof part === 'string' && part.length <= 200,
  position: (part) => Number.isSafeInteger(part) && (part as number) >= 0,
  decimal: (part) => typeof part === 'string' && /^-?\d{1,15}(\.\d{1,2})?$/.test(part),
};

/** The sort key in a cursor; anything this server could not have issued is `invalid_cursor`, never a database error. */
export function decodeCursor(cursor: string, shape: readonly CursorPart[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new HubError('invalid_cursor', 'The cursor is not one this server issued');
  }
  const valid =
    Array.isArray(key) && key.length === shape.length && key.every((part, index) => fits[shape[index]!](part));
  if (!valid) throw new HubError('invalid_cursor', 'The cursor is not one this server issued');
  return key as (string | number)[];
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/** A page from rows fetched with LIMIT limit + 1: the extra row only says another page exists. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (item: T) => readonly (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
