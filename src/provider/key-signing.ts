/**
 * KeySigning: the signing use case under KmsJwtSigner — which concrete KMS key a kid signs with now (its latest
 * alias, resolved to one key id once per token), and KMS Sign with exactly that key. The private key never
 * leaves KMS; this only sends the message (or its digest) and returns KMS's signature as KMS encodes it.
 */
import type { KmsMessageType } from '../ports/kms.port.js';
import { InvalidArgumentError, KmsError, UnsupportedOperationError } from '../domain/errors.js';
import { jwkKid } from '../domain/key-ref.js';
import { SIGNING_ALGS, joseFor, signingFor, type SigningRules, type SupportedAlg } from '../domain/spec-mapping.js';
import { KeyDirectory, algOf, requireUsable } from './key-directory.js';
import type { ProviderKms } from './provider-kms.js';

export type KeySigningKms = Pick<ProviderKms, 'sign'>;

/** The KMS key one kid signs with: a concrete key (never an alias), its version and algorithms. */
export interface SigningKey {
  kid: string;
  version: number;
  /** The JWK kid of that version, `<kid>.<version>`: the JWS header `kid`. */
  jwkKid: string;
  alg: SupportedAlg;
  /** The JOSE `alg` (PS256, ES256K, EdDSA, ML-DSA-65, …): the JWS header `alg`. */
  joseAlg: string;
  /** How KMS signs with it (KMS SigningAlgorithm, digest, ECDSA size). */
  signing: SigningRules;
  /** The KMS key id (UUID) and ARN. */
  keyId: string;
  keyArn: string;
}

/** The SigningKey of one version's KMS key; an alg that does not sign → UnsupportedOperationError naming those that do. */
export function signingKeyOf(kid: string, version: number, alg: SupportedAlg, keyId: string, keyArn: string): SigningKey {
  const signing = signingFor(alg);
  if (signing === undefined) {
    throw new UnsupportedOperationError(`kid ${kid} is ${alg}: it cannot sign (signing algs: ${SIGNING_ALGS.join(', ')})`);
  }
  return { kid, version, jwkKid: jwkKid(kid, version), alg, joseAlg: joseFor(alg)!.alg, signing, keyId, keyArn };
}

export class KeySigning {
  readonly #kms: KeySigningKms;
  readonly #directory: KeyDirectory;

  constructor(kms: KeySigningKms, directory: KeyDirectory) {
    this.#kms = kms;
    this.#directory = directory;
  }

  /**
   * The key a kid's latest alias targets (DescribeKey, cached for the TTL unless `fresh`; its tags cached
   * forever). A version disabled or pending deletion → InvalidKeyStateError; a key that cannot sign (AES, HMAC,
   * RSA-OAEP) → UnsupportedOperationError naming the algs that can.
   */
  async signingKey(kid: string, fresh: boolean): Promise<SigningKey> {
    if (fresh) await this.#directory.describeLatest(kid, true);
    const { metadata, version, tags } = await this.#directory.resolve(kid, undefined);
    requireUsable(metadata, kid, version);
    return signingKeyOf(kid, version, algOf(tags, kid), metadata.KeyId, metadata.Arn);
  }

  /**
   * KMS Sign with exactly `key` (its key id, never an alias that could move in between) and its algorithm;
   * `message` is the message (RAW), its digest (DIGEST) or ML-DSA's μ (EXTERNAL_MU). The KeyId KMS answers
   * must be the key asked for, else KmsError. Returns the signature as KMS encodes it (DER for ECDSA).
   */
  async sign(key: SigningKey, message: Uint8Array, messageType: KmsMessageType): Promise<Uint8Array> {
    if (!(message instanceof Uint8Array)) throw new InvalidArgumentError('message must be a Uint8Array');
    const answer = await this.#kms.sign({
      KeyId: key.keyId,
      Message: message,
      MessageType: messageType,
      SigningAlgorithm: key.signing.kmsAlgorithm,
    });
    if (answer.KeyId !== key.keyArn && answer.KeyId !== key.keyId) {
      throw new KmsError(`KMS signed with ${String(answer.KeyId)}, not with ${key.keyArn} (version ${key.version} of kid ${key.kid})`);
    }
    return answer.Signature;
  }
}
