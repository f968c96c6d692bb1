import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidMarker } from './exceptions.js';

/**
 * Pagination (docs/kms-behaviour.md §12): `Limit` and `Marker` in, `Truncated` (always) and `NextMarker`
 * (only when truncated) out.
 *
 * Markers are key-based, not offsets: a marker names the last item returned (a key ID, an alias name, a tag's
 * sequence number), and the next page starts strictly after it. Items added or removed between pages therefore
 * never shift others: every item present during the whole walk is returned exactly once.
 *
 * A marker is `base64url(position) "." base64url(HMAC-SHA-256(secret, scope, position))[0..16 bytes]`, where the
 * scope binds the listing (operation and filter key). Only a NextMarker this engine gave out for the same
 * listing is accepted; anything else is InvalidMarkerException. The secret lives as long as the engine.
 */

/** The page size of a listing without `Limit`; the largest `Limit` is the KMS model's (src/adapters/kms-model). */
export const DEFAULT_PAGE_SIZE = { ListKeys: 100, ListAliases: 50, ListResourceTags: 50, ListKeyRotations: 100 } as const;

const TAG_BYTES = 16;
const MARKER = /^([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/;

export class MarkerCodec {
  readonly #secret: Uint8Array;

  constructor(secret: Uint8Array) {
    this.#secret = Uint8Array.from(secret);
  }

  encode(scope: string, position: string): string {
    const body = Buffer.from(position, 'utf8').toString('base64url');
    return `${body}.${this.#tag(scope, position).toString('base64url')}`;
  }

  /** The position a marker names; InvalidMarkerException unless it came from `encode` with this scope. */
  decode(scope: string, marker: string): string {
    const match = MARKER.exec(marker);
    if (match !== null) {
      const [, body = '', tagText = ''] = match;
      const position = Buffer.from(body, 'base64url').toString('utf8');
      const tag = Buffer.from(tagText, 'base64url');
      // Only the canonical spelling counts (base64 has spare bits): no two markers mean the same position.
      const canonical = Buffer.from(position, 'utf8').toString('base64url') === body && tag.toString('base64url') === tagText;
      if (canonical && tag.length === TAG_BYTES && timingSafeEqual(tag, this.#tag(scope, position))) return position;
    }
    throw invalidMarker();
  }

  #tag(scope: string, position: string): Buffer {
    return createHmac('sha256', this.#secret)
      .update(`${scope}\u0000${position}`, 'utf8')
      .digest()
      .subarray(0, TAG_BYTES);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'MarkerCodec {}';
  }
}

export interface Page<T> {
  items: T[];
  Truncated: boolean;
  NextMarker?: string;
}

/**
 * Cuts a page from `fetched`, which holds up to `limit + 1` items in listing order: the extra item only tells
 * that the listing goes on.
 */
export function cutPage<T>(
  fetched: readonly T[],
  limit: number,
  next: (last: T) => string,
): Page<T> {
  const items = fetched.slice(0, limit);
  const last = items[items.length - 1];
  if (fetched.length <= limit || last === undefined) return { items, Truncated: false };
  return { items, Truncated: true, NextMarker: next(last) };
}

/** The Truncated and NextMarker members of a response: NextMarker only when truncated. */
export function pageTail(page: { Truncated: boolean; NextMarker?: string }): { Truncated: boolean; NextMarker?: string } {
  const { Truncated, NextMarker } = page;
  return NextMarker === undefined ? { Truncated } : { Truncated, NextMarker };
}
