/**
 * RSA signatures over a given digest (KMS `MessageType: DIGEST`), which WebCrypto cannot do because it always
 * hashes: the encoding of RFC 8017 (EMSA-PKCS1-v1_5 §9.2, EMSA-PSS §9.1 with salt length = hash length and
 * MGF1 with the same hash) followed by the raw RSA operation of `node:crypto`.
 */
import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export type RsaHash = 'sha256' | 'sha384' | 'sha512';
export type RsaScheme = 'PKCS1_V1_5' | 'PSS';

/** DER of DigestInfo { AlgorithmIdentifier { hash OID, NULL }, OCTET STRING digest } up to the digest. */
const DIGEST_INFO_PREFIX: Record<RsaHash, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};
const HASH_LENGTH: Record<RsaHash, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** Signs `digest` (exactly the hash length) with an RSA private key. */
export function rsaSignDigest(privateKey: KeyObject, scheme: RsaScheme, hash: RsaHash, digest: Uint8Array): Uint8Array {
  const modBits = modulusBits(privateKey);
  const em = scheme === 'PSS' ? emsaPssEncode(hash, digest, modBits - 1) : emsaPkcs1Encode(hash, digest, modBits);
  return new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, em));
}

/** RSASSA-PKCS1-v1_5-VERIFY / RSASSA-PSS-VERIFY over a digest; false (never a throw) for any invalid signature. */
export function rsaVerifyDigest(
  publicKey: KeyObject,
  scheme: RsaScheme,
  hash: RsaHash,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const modBits = modulusBits(publicKey);
  if (signature.length !== Math.ceil(modBits / 8) || digest.length !== HASH_LENGTH[hash]) return false;
  let em: Buffer;
  try {
    em = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature); // fails when s >= n
  } catch {
    return false;
  }
  if (scheme === 'PKCS1_V1_5') return timingSafeEqual(em, emsaPkcs1Encode(hash, digest, modBits));
  return emsaPssVerify(hash, digest, em, modBits - 1);
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new Error('not an RSA key');
  return bits;
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 00 01 FF…FF 00 DigestInfo, as long as the modulus. */
function emsaPkcs1Encode(hash: RsaHash, digest: Uint8Array, modBits: number): Buffer {
  const k = Math.ceil(modBits / 8);
  const t = Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
  const ps = Buffer.alloc(k - t.length - 3, 0xff);
  return Buffer.concat([Buffer.of(0x00, 0x01), ps, Buffer.of(0x00), t]);
}

function mgf1(hash: RsaHash, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0; blocks.length * HASH_LENGTH[hash] < length; i++) {
    counter.writeUInt32BE(i);
    blocks.push(createHash(hash).update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** H = Hash(0x00 × 8 || mHash || salt) */
const pssHash = (hash: RsaHash, digest: Uint8Array, salt: Uint8Array): Buffer =>
  createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with sLen = hLen, left-padded to the modulus length for the RSA operation. */
function emsaPssEncode(hash: RsaHash, digest: Uint8Array, emBits: number): Buffer {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = pssHash(hash, digest, salt);
  const db = Buffer.alloc(emLen - hLen - 1);
  db[db.length - hLen - 1] = 0x01;
  salt.copy(db, db.length - hLen);
  const maskedDb = xor(db, mgf1(hash, h, db.length));
  maskedDb[0] = (maskedDb[0] as number) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([maskedDb, h, Buffer.of(0xbc)]);
  return Buffer.concat([Buffer.alloc(Math.ceil((emBits + 1) / 8) - emLen), em]);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with sLen = hLen; `decoded` is the modulus-length output of the RSA operation. */
function emsaPssVerify(hash: RsaHash, digest: Uint8Array, decoded: Buffer, emBits: number): boolean {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  const leading = decoded.subarray(0, decoded.length - emLen);
  const em = decoded.subarray(decoded.length - emLen);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (leading.some((b) => b !== 0) || em[emLen - 1] !== 0xbc || ((em[0] as number) & ~topMask) !== 0) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const db = xor(maskedDb, mgf1(hash, h, maskedDb.length));
  db[0] = (db[0] as number) & topMask;
  const separator = db.length - hLen - 1;
  if (db.subarray(0, separator).some((b) => b !== 0) || db[separator] !== 0x01) return false;
  return timingSafeEqual(h, pssHash(hash, digest, db.subarray(separator + 1)));
}

function xor(a: Uint8Array, b: Uint8Array): Buffer {
  return Buffer.from(a.map((x, i) => x ^ (b[i] as number)));
}
