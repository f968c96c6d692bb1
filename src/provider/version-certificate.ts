/**
 * VersionCertificate: a self-signed X.509 certificate for one key version, signed through KMS (the private key
 * never leaves KMS), for the `x5c` / `x5t#S256` members of a published JWK (RFC 7517 §4.7–4.9). Built with
 * @peculiar/x509, whose signing step is routed to KMS Sign with exactly the version's key.
 *
 * The certificate: X.509 v3; subject = issuer = `CN=<kid>.<version>` (the JWK kid); serial = the first 16 bytes
 * of SHA-256 of the key ARN (positive); valid from issuance for `validityDays`; extensions basicConstraints
 * (cA false, critical), keyUsage digitalSignature (critical) and subjectKeyIdentifier. Only signing keys have
 * one (KMS cannot sign with an encryption key).
 *
 * @peculiar/x509 needs a `Reflect.metadata` polyfill (its dependency injection); `reflect-metadata` is loaded
 * with it, on the first certificate only, so a provider that never asks for `x5c` never loads either.
 */
import { ecdsaDerToRaw } from '../codec/ecdsa-signature.js';
import { toBase64, toBase64Url, toHex, utf8 } from '../codec/bytes.js';
import { sha256 } from '../codec/sha256.js';
import { UnsupportedOperationError } from '../domain/errors.js';
import type { JwkCertificate } from '../domain/key-types.js';
import type { SupportedAlg } from '../domain/spec-mapping.js';
import { signingKeyOf, type SigningKey } from './key-signing.js';
import { CERTIFICATE_VALIDITY_DAYS, type ProviderCache } from './provider-cache.js';

/** The largest message KMS signs as RAW; a TBSCertificate is far smaller for every key type. */
const RAW_LIMIT = 4096;

/** What signs the TBSCertificate: KMS Sign with exactly `key` (KeySigning.sign). */
export type CertificateSigner = (key: SigningKey, message: Uint8Array) => Promise<Uint8Array>;

type X509Module = typeof import('@peculiar/x509');
let x509: Promise<X509Module> | undefined;

function loadX509(): Promise<X509Module> {
  x509 ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509;
}

/** The WebCrypto algorithm @peculiar/x509 writes into the certificate for a signing key, and its key algorithm. */
function x509Algorithms(key: SigningKey): { signing: Record<string, unknown>; keyAlgorithm: Record<string, unknown> } {
  const hash = key.signing.digest;
  const { joseAlg } = key;
  if (joseAlg.startsWith('RS')) return { signing: { name: 'RSASSA-PKCS1-v1_5', hash }, keyAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: { name: hash } } };
  if (joseAlg.startsWith('PS')) {
    const saltLength = Number(hash!.slice(4)) / 8;
    return { signing: { name: 'RSA-PSS', hash, saltLength }, keyAlgorithm: { name: 'RSA-PSS', hash: { name: hash } } };
  }
  if (joseAlg.startsWith('ES')) {
    const namedCurve = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'K-256' }[joseAlg];
    return { signing: { name: 'ECDSA', hash }, keyAlgorithm: { name: 'ECDSA', namedCurve, hash: { name: hash } } };
  }
  if (joseAlg === 'EdDSA') return { signing: { name: 'Ed25519' }, keyAlgorithm: { name: 'Ed25519' } };
  return { signing: { name: joseAlg }, keyAlgorithm: { name: joseAlg } }; // ML-DSA-44 / 65 / 87
}

/**
 * A WebCrypto whose `sign` is KMS Sign of the version's key (ECDSA's DER answer turned into the r‖s WebCrypto
 * returns, which @peculiar/x509 re-encodes); random values and digests are the platform's.
 */
function kmsBackedCrypto(key: SigningKey, signer: CertificateSigner): Crypto {
  const { subtle } = globalThis.crypto;
  const sign = async (_algorithm: unknown, _key: unknown, data: BufferSource): Promise<ArrayBuffer> => {
    const message = new Uint8Array(ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data);
    if (message.length > RAW_LIMIT) {
      throw new UnsupportedOperationError(`The certificate of ${key.jwkKid} is ${message.length} bytes to sign; KMS signs at most ${RAW_LIMIT} as RAW`);
    }
    const signature = await signer(key, message);
    const jose = key.signing.ecdsaBytes === undefined ? signature : ecdsaDerToRaw(signature, key.signing.ecdsaBytes);
    return jose.slice().buffer;
  };
  return {
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => globalThis.crypto.getRandomValues(array as never) as T,
    randomUUID: () => globalThis.crypto.randomUUID(),
    subtle: new Proxy(subtle, {
      get(target, property) {
        if (property === 'sign') return sign;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }),
  } as unknown as Crypto;
}

/** The DER certificate of one signing key version, valid from `now` for `validityDays`, signed by KMS. */
export async function issueVersionCertificate(
  key: SigningKey,
  spki: Uint8Array,
  signer: CertificateSigner,
  options: { now: Date; validityDays: number },
): Promise<Uint8Array> {
  const { X509CertificateGenerator, BasicConstraintsExtension, KeyUsagesExtension, KeyUsageFlags, SubjectKeyIdentifierExtension } = await loadX509();
  const crypto = kmsBackedCrypto(key, signer);
  const serial = sha256(utf8(key.keyArn)).slice(0, 16);
  serial[0]! &= 0x7f; // a positive INTEGER
  const notBefore = new Date(Math.floor(options.now.getTime() / 1000) * 1000);
  const { signing, keyAlgorithm } = x509Algorithms(key);
  const publicKey = new Uint8Array(spki); // a copy on its own ArrayBuffer, as WebCrypto types want
  const name = `CN=${key.jwkKid}`;
  const certificate = await X509CertificateGenerator.create(
    {
      serialNumber: toHex(serial),
      subject: name,
      issuer: name,
      notBefore,
      notAfter: new Date(notBefore.getTime() + options.validityDays * 86_400_000),
      publicKey,
      signingKey: { algorithm: keyAlgorithm, type: 'private', extractable: false, usages: ['sign'] } as unknown as CryptoKey,
      signingAlgorithm: signing as unknown as Algorithm,
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        await SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return new Uint8Array(certificate.rawData);
}

/** One published version of a signing key: what its certificate is made of. */
export interface CertifiedVersion {
  kid: string;
  version: number;
  alg: SupportedAlg;
  keyId: string;
  keyArn: string;
  publicKey: Uint8Array;
}

/**
 * The `x5c` and `x5t#S256` JWK members of a signing key version: its certificate from the cache, else issued now
 * (one KMS Sign) and cached for CERTIFICATE_RENEWAL_MS; concurrent JWKS requests share one issuance.
 */
export async function certificateMembers(
  version: CertifiedVersion,
  signer: CertificateSigner,
  cache: ProviderCache,
): Promise<Required<JwkCertificate>> {
  const der = await cache.certificates.load(version.keyId, () => {
    const key = signingKeyOf(version.kid, version.version, version.alg, version.keyId, version.keyArn);
    return issueVersionCertificate(key, version.publicKey, signer, {
      now: new Date(cache.now()),
      validityDays: CERTIFICATE_VALIDITY_DAYS,
    });
  });
  return { x5c: [toBase64(der)], 'x5t#S256': toBase64Url(sha256(der)) };
}
