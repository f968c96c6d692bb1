/**
 * What KMS Sign is sent for a JWS signing input: the input itself (MessageType RAW) while it fits KMS's 4 096
 * bytes; beyond that its digest under the alg's hash (DIGEST: RSA, ECDSA — the same signature) or ML-DSA's μ
 * (EXTERNAL_MU, FIPS 204 — the same signature as over the input). Ed25519 cannot: KMS's ED25519_SHA_512 is RAW
 * only and Ed25519ph is another signature, so a larger input is refused before any KMS call. Hashing is local
 * (@noble/hashes); nothing here talks to KMS.
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { fromBase64Url } from '../codec/bytes.js';
import { mlDsaExternalMu } from '../codec/ml-dsa-mu.js';
import { InvalidArgumentError, KmsError } from '../domain/errors.js';
import type { Jwk } from '../domain/key-types.js';
import type { SigningKey } from '../provider/key-signing.js';
import type { KmsMessageType } from '../ports/kms.port.js';

/** The largest message KMS Sign takes with MessageType RAW. */
export const KMS_RAW_MESSAGE_LIMIT = 4096;

const DIGESTS = { 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

export interface KmsMessage {
  message: Uint8Array;
  messageType: KmsMessageType;
}

/**
 * The message and MessageType that make KMS sign `input` with `key`. `publicJwk` fetches the JWK of the key's
 * version (only called for ML-DSA inputs over the RAW limit, whose μ needs the public key).
 */
export async function kmsMessageFor(
  key: SigningKey,
  input: Uint8Array,
  publicJwk: () => Promise<Jwk>,
): Promise<KmsMessage> {
  if (input.length <= KMS_RAW_MESSAGE_LIMIT) return { message: input, messageType: 'RAW' };
  const { digest, externalMu } = key.signing;
  if (digest !== undefined) return { message: DIGESTS[digest](input), messageType: 'DIGEST' };
  if (externalMu === true) {
    return { message: mlDsaExternalMu(mlDsaPublicKey(key, await publicJwk()), input, xof), messageType: 'EXTERNAL_MU' };
  }
  throw new InvalidArgumentError(
    `The JWS signing input is ${input.length} bytes; KMS signs ${key.joseAlg} (${key.signing.kmsAlgorithm}) over at most ` +
      `${KMS_RAW_MESSAGE_LIMIT} bytes: it takes the message itself (RAW) only, and prehashed Ed25519ph is a different ` +
      `signature. Sign a smaller payload, or with a kid of another alg (RSA, ECDSA and ML-DSA sign inputs of any size).`,
  );
}

const xof = (data: Uint8Array, outputLength: number): Uint8Array => shake256(data, { dkLen: outputLength });

/**
 * The raw public key of an ML-DSA version: the `pub` of its AKP JWK. Version aliases are create-only, so the JWK
 * of `<kid>.<version>` is the key `key.keyId` names; its kid and alg are checked all the same.
 */
function mlDsaPublicKey(key: SigningKey, jwk: Jwk): Uint8Array {
  if (jwk.kty !== 'AKP' || jwk.kid !== key.jwkKid || jwk.alg !== key.joseAlg) {
    throw new KmsError(
      `The public JWK of ${key.jwkKid} is ${jwk.kty} ${String(jwk.alg)} (kid ${String(jwk.kid)}), not the AKP ${key.joseAlg} key it signs with`,
    );
  }
  try {
    return fromBase64Url(jwk.pub);
  } catch (error) {
    throw new KmsError(`The public JWK of ${key.jwkKid} has a malformed pub: ${(error as Error).message}`, { cause: error });
  }
}
