import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KmsKeySpec } from '../../../../ports/kms.port.js';
import type { KeyMaterial } from '../simulator-store.js';

/**
 * Encryption at rest of key material: AES-256-GCM under a key derived (HKDF-SHA256) from the directory's master
 * key, a fresh random 12-byte nonce per record, and the record's place (`<account>/<region>/<keyId>`) as
 * additional data, so a record copied to another key or partition does not decrypt. A record is
 * `version (1) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`; the plaintext holds the spec, the secret (PKCS#8 or raw
 * bytes), the public key and (schema 2, symmetric keys) the key material ID.
 *
 * The master key also yields the pagination-marker secret of each partition and a key check value stored in the
 * database (so a key file that does not belong to the database is noticed at open, not at the first Sign).
 */
const RECORD_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const INFO = 'aws-kms-keyprovider/simulator/';

export class MaterialCipher {
  readonly #key: Buffer;
  readonly #master: Buffer;

  constructor(masterKey: Uint8Array) {
    this.#master = Buffer.from(masterKey);
    this.#key = derive(this.#master, 'material-encryption/v1', 32);
  }

  /** 16 bytes that identify the master key without revealing it (stored in the database). */
  keyCheck(): Uint8Array {
    return derive(this.#master, 'key-check/v1', 16);
  }

  matches(check: Uint8Array): boolean {
    const own = this.keyCheck();
    return check.length === own.length && timingSafeEqual(check, own);
  }

  /** The pagination-marker secret of one partition: markers work across processes, never across partitions. */
  markerSecret(partition: string): Uint8Array {
    return derive(this.#master, `pagination-markers/v1/${partition}`, 32);
  }

  encrypt(material: KeyMaterial, place: string): Uint8Array {
    const plaintext = encodeMaterial(material);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(aad(place));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    plaintext.fill(0);
    return Buffer.concat([Buffer.of(RECORD_VERSION), nonce, body, cipher.getAuthTag()]);
  }

  /** The material, or `undefined` when the record does not authenticate (wrong key, wrong place, tampering). */
  decrypt(record: Uint8Array, place: string): KeyMaterial | undefined {
    if (record.length < 1 + NONCE_BYTES + TAG_BYTES || record[0] !== RECORD_VERSION) return undefined;
    const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce);
    decipher.setAAD(aad(place));
    decipher.setAuthTag(tag);
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
    try {
      return decodeMaterial(plaintext);
    } catch {
      return undefined; // authenticated, yet not our layout: reported as corrupt by the caller
    } finally {
      plaintext.fill(0);
    }
  }

  /** Never shows a key. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'MaterialCipher {}';
  }

  toJSON(): Record<string, never> {
    return {};
  }
}

function derive(master: Buffer, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `${INFO}${info}`, length));
}

function aad(place: string): Buffer {
  return Buffer.from(`${INFO}material/v1\u0000${place}`, 'utf8');
}

// ---- plaintext: spec length (1) ‖ spec ‖ secret length (4) ‖ secret ‖ public key length (4, 0xffffffff: none) ‖ key
// ---- [‖ key material ID length (1) ‖ key material ID] — absent in schema 1 and for keys without material IDs

const NO_PUBLIC_KEY = 0xffff_ffff;

function encodeMaterial(material: KeyMaterial): Buffer {
  const spec = Buffer.from(material.spec, 'latin1');
  const publicKey = material.publicKey;
  const materialId = material.keyMaterialId === undefined ? undefined : Buffer.from(material.keyMaterialId, 'latin1');
  const trailer = materialId === undefined ? 0 : 1 + materialId.length;
  const out = Buffer.alloc(1 + spec.length + 4 + material.secret.length + 4 + (publicKey?.length ?? 0) + trailer);
  let at = out.writeUInt8(spec.length, 0);
  at += spec.copy(out, at);
  at = out.writeUInt32BE(material.secret.length, at);
  at += Buffer.from(material.secret.buffer, material.secret.byteOffset, material.secret.byteLength).copy(out, at);
  at = out.writeUInt32BE(publicKey === undefined ? NO_PUBLIC_KEY : publicKey.length, at);
  if (publicKey !== undefined) out.set(publicKey, at);
  if (materialId !== undefined) {
    at = out.writeUInt8(materialId.length, at + (publicKey?.length ?? 0));
    materialId.copy(out, at);
  }
  return out;
}

function decodeMaterial(bytes: Buffer): KeyMaterial | undefined {
  const specLength = bytes.readUInt8(0);
  let at = 1;
  const spec = bytes.toString('latin1', at, at + specLength) as KmsKeySpec;
  at += specLength;
  const secretLength = bytes.readUInt32BE(at);
  at += 4;
  const secret = Uint8Array.from(bytes.subarray(at, at + secretLength));
  at += secretLength;
  const publicLength = bytes.readUInt32BE(at);
  at += 4;
  let publicKey: Uint8Array | undefined;
  if (publicLength !== NO_PUBLIC_KEY) {
    if (at + publicLength > bytes.length) return undefined;
    publicKey = Uint8Array.from(bytes.subarray(at, at + publicLength));
    at += publicLength;
  }
  const material = { spec, secret, ...(publicKey === undefined ? {} : { publicKey }) };
  if (at === bytes.length) return material;
  const idLength = bytes.readUInt8(at);
  if (at + 1 + idLength !== bytes.length) return undefined;
  return { ...material, keyMaterialId: bytes.toString('latin1', at + 1) };
}
