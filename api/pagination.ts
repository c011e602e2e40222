/**
 * Opaque keyset cursors. A cursor is base64url JSON of the list it belongs to and the sort key of the last
 * row served; a cursor that does not decode, or belongs to another list, is a 400 naming `querystring/cursor`.
 */
import { badRequest } from './plugins/problems.js';

/** Encodes the position after `key` in list `list`. */
export function encodeCursor(list: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/**
 * Decodes a cursor of `list` whose key has the given element types: `serial` a bigserial id as a decimal
 * string, `timestamp` a microsecond UTC timestamp (sql-fragments `cursorTimestamp`), `uuid`, `number`.
 */
export function decodeCursor<T extends readonly ('serial' | 'number' | 'uuid' | 'timestamp')[]>(
  list: string,
  cursor: string,
  types: T,
): { [K in keyof T]: T[K] extends 'number' ? number : string } {
  const invalid = () =>
    badRequest('the cursor is not valid for this list', [
      { field: 'querystring/cursor', message: 'is not a cursor of this list' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== types.length + 1) throw invalid();
  const key = parsed.slice(1);
  types.forEach((t, i) => {
    const v = key[i];
    const ok =
      t === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : t === 'uuid'
          ? typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
          : t === 'timestamp'
            ? typeof v === 'string' &&
              /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v) &&
              !Number.isNaN(Date.parse(v))
            : typeof v === 'string' && /^\d{1,19}$/.test(v);
    if (!ok) throw invalid();
  });
  return key as { [K in keyof T]: T[K] extends 'number' ? number : string };
}

/** The page and the cursor of the next one from `limit + 1` fetched rows. */
export function page<R>(
  rows: R[],
  limit: number,
  keyOf: (last: R) => string,
): { items: R[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? keyOf(last) : null };
}
