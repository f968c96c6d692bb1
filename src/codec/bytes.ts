/** Small pure byte helpers (no Buffer, no node:*): hex, base64, base64url, UTF-8. */

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** base64url without padding (RFC 7515 §2). */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * base64url without padding (RFC 7515 §2) → bytes, strictly: only the base64url alphabet, no padding, no length
 * of 1 mod 4, and no non-zero bits after the last byte (each byte string has exactly one encoding). Plain Error
 * otherwise.
 */
export function fromBase64Url(text: string): Uint8Array {
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new Error('not unpadded base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (toBase64Url(bytes) !== text) throw new Error('not canonical base64url (non-zero trailing bits)');
  return bytes;
}
