/**
 * The simulator's symmetric ciphertext blob (docs/kms-behaviour.md §7, §9, §21): AES-256-GCM with the encryption
 * context bound. The engine has checked keys, algorithms and sizes before any of this runs; a failure to decrypt
 * is reported as `undefined`, never as a thrown error that could carry details.
 *
 * Symmetric ciphertext blob (opaque to callers; only a round trip through the simulator must work):
 *
 *   byte 0        format version: 2 (what Encrypt writes), 3 (the same for a multi-Region key, whose key ID is
 *                 `mrk-` + 32 hex), or 1 (written before key rotation existed)
 *   bytes 1–16    the key ID (a UUID, or the 32 hex digits after `mrk-`) as 16 raw bytes — how Decrypt finds the
 *                 key without a KeyId; no Region, so a replica of the key in another Region decrypts it too
 *   bytes 17–48   version 2 only: the key material ID (64 hex characters) as 32 raw bytes — which of the key's
 *                 materials sealed it; a version-1 blob was sealed by the key's original material
 *   then          the AES-GCM IV (12 random bytes), the AES-256-GCM ciphertext, then its 16-byte tag
 *
 * The additional authenticated data is the header (version, key ID and, in version 2, key material ID) followed by
 * the canonical encryption context, so a changed header, IV, ciphertext, tag or context all fail authentication.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { codeUnitOrder } from '../model/code-unit-order.js';

const LEGACY_VERSION = 1;
const FORMAT_VERSION = 2;
/** Version 2 with a multi-Region key ID (docs/kms-behaviour.md §25). */
const MRK_FORMAT_VERSION = 3;
const KEY_ID_BYTES = 16;
const MATERIAL_ID_BYTES = 32;
const LEGACY_HEADER_BYTES = 1 + KEY_ID_BYTES;
const HEADER_BYTES = LEGACY_HEADER_BYTES + MATERIAL_ID_BYTES;
export const IV_BYTES = 12;
const TAG_BYTES = 16;
const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/;
const MATERIAL_ID = /^[0-9a-f]{64}$/;
const MRK_ID = /^mrk-([0-9a-f]{32})$/;

/** The per-blob overhead of a version-1 blob (no key material ID): 45 bytes. */
export const SYMMETRIC_OVERHEAD = LEGACY_HEADER_BYTES + IV_BYTES + TAG_BYTES;
/** The per-blob overhead of a version-2 blob: a 4096-byte plaintext gives a 4173-byte blob (limit 6144). */
export const SYMMETRIC_OVERHEAD_V2 = HEADER_BYTES + IV_BYTES + TAG_BYTES;

/**
 * Encrypts under a 32-byte key; `iv` must be 12 fresh random bytes. With the key material ID of `secret` (what
 * the engine always gives), a version-2 blob that names it; without, a version-1 blob.
 */
export function sealSymmetric(
  keyId: string,
  secret: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  context: Readonly<Record<string, string>> | undefined,
  keyMaterialId?: string,
): Uint8Array {
  if (iv.length !== IV_BYTES) throw new Error(`the IV must be ${IV_BYTES} bytes`);
  if (keyMaterialId === undefined && MRK_ID.test(keyId)) throw new Error('a multi-Region key seals with its key material ID');
  const header =
    keyMaterialId === undefined
      ? Buffer.concat([Buffer.of(LEGACY_VERSION), keyIdToBytes(keyId)])
      : Buffer.concat([Buffer.of(MRK_ID.test(keyId) ? MRK_FORMAT_VERSION : FORMAT_VERSION), keyIdToBytes(keyId), materialIdToBytes(keyMaterialId)]);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(Buffer.concat([header, encryptionContextBytes(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([header, iv, body, cipher.getAuthTag()]));
}

/** The header length of a blob of this format, or undefined when it is none (unknown version, too short). */
function headerBytes(blob: Uint8Array): number | undefined {
  if (blob[0] === LEGACY_VERSION && blob.length > SYMMETRIC_OVERHEAD) return LEGACY_HEADER_BYTES;
  if ((blob[0] === FORMAT_VERSION || blob[0] === MRK_FORMAT_VERSION) && blob.length > SYMMETRIC_OVERHEAD_V2) return HEADER_BYTES;
  return undefined;
}

/** The key ID a symmetric blob names, or undefined when the blob is not one of this format. */
export function ciphertextKeyId(blob: Uint8Array): string | undefined {
  if (headerBytes(blob) === undefined) return undefined;
  const id = blob.subarray(1, LEGACY_HEADER_BYTES);
  return blob[0] === MRK_FORMAT_VERSION ? `mrk-${Buffer.from(id).toString('hex')}` : bytesToKeyId(id);
}

/**
 * The key material ID a symmetric blob names: its own (version 2), `null` for a version-1 blob (sealed by the
 * key's original material), undefined when the blob is not one of this format.
 */
export function ciphertextKeyMaterialId(blob: Uint8Array): string | null | undefined {
  const header = headerBytes(blob);
  if (header === undefined) return undefined;
  if (header === LEGACY_HEADER_BYTES) return null;
  return Buffer.from(blob.subarray(LEGACY_HEADER_BYTES, HEADER_BYTES)).toString('hex');
}

/** The plaintext, or undefined when the blob, the key or the context does not authenticate. */
export function openSymmetric(
  secret: Uint8Array,
  blob: Uint8Array,
  context: Readonly<Record<string, string>> | undefined,
): Uint8Array | undefined {
  const headerLength = headerBytes(blob);
  if (headerLength === undefined) return undefined;
  const header = blob.subarray(0, headerLength);
  const iv = blob.subarray(headerLength, headerLength + IV_BYTES);
  const body = blob.subarray(headerLength + IV_BYTES, blob.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, iv);
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    decipher.setAAD(Buffer.concat([header, encryptionContextBytes(context)]));
    return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch {
    return undefined;
  }
}

/**
 * The canonical bytes of an encryption context: the pairs sorted by key (code units), each key and value as
 * UTF-16 code units with a 4-byte length — unambiguous, the same for the same map in any order, and lossless
 * even for lone surrogates (which UTF-8 would fold together). An absent context and `{}` are the same.
 */
export function encryptionContextBytes(context: Readonly<Record<string, string>> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => codeUnitOrder(a, b));
  const parts: Buffer[] = [u32(entries.length)];
  for (const [key, value] of entries) {
    for (const text of [key, value]) {
      const bytes = Buffer.from(text, 'utf16le');
      parts.push(u32(bytes.length), bytes);
    }
  }
  return Buffer.concat(parts);
}
function keyIdToBytes(keyId: string): Buffer {
  const mrk = MRK_ID.exec(keyId);
  if (mrk !== null) return Buffer.from(mrk[1] as string, 'hex');
  const match = UUID.exec(keyId);
  if (match === null) throw new Error('the symmetric ciphertext format holds UUID key IDs only');
  return Buffer.from(match.slice(1).join(''), 'hex');
}

function materialIdToBytes(keyMaterialId: string): Buffer {
  if (!MATERIAL_ID.test(keyMaterialId)) throw new Error('a key material ID is 64 lowercase hex characters');
  return Buffer.from(keyMaterialId, 'hex');
}

function bytesToKeyId(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

function u32(n: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(n);
  return buffer;
}
