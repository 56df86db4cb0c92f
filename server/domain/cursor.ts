import { HubError } from './errors';

/** Opaque page cursors: the sort key of the last item served, base64url-encoded JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new HubError('invalid_cursor', 'The cursor is not one this server issued');
  }
  const valid =
    Array.isArray(key) && key.length === shape.length && key.every((part, index) => typeof part === shape[index]);
  if (!valid) throw new HubError('invalid_cursor', 'The cursor is not one this server issued');
  return key as (string | number)[];
}

export type Page<T> = { items: T[]; nextCursor: string | null };
