/**
 * The Swarmauri key-provider vocabulary. Values are the Swarmauri strings, so KeyRefs and specs written by the
 * Python original and by this library are interchangeable.
 */

export const KeyClass = {
  symmetric: 'sym',
  asymmetric: 'asym',
  opaque: 'opaque',
} as const;
export type KeyClass = (typeof KeyClass)[keyof typeof KeyClass];

/**
 * The first seven are Swarmauri's own; the others (this library's, in the same style) name the KMS key types a
 * JOSE verifier can use: RSA PKCS#1 v1.5 and PSS with each hash, the other ECDSA curves, ML-DSA, HMAC sizes.
 */
export const KeyAlg = {
  AES256_GCM: 'AES256_GCM',
  ED25519: 'ED25519',
  X25519: 'X25519',
  HMAC_SHA256: 'HMAC_SHA256',
  RSA_OAEP_SHA256: 'RSA_OAEP_SHA256',
  RSA_PSS_SHA256: 'RSA_PSS_SHA256',
  ECDSA_P256_SHA256: 'ECDSA_P256_SHA256',
  HMAC_SHA224: 'HMAC_SHA224',
  HMAC_SHA384: 'HMAC_SHA384',
  HMAC_SHA512: 'HMAC_SHA512',
  RSA_PSS_SHA384: 'RSA_PSS_SHA384',
  RSA_PSS_SHA512: 'RSA_PSS_SHA512',
  RSA_PKCS1_SHA256: 'RSA_PKCS1_SHA256',
  RSA_PKCS1_SHA384: 'RSA_PKCS1_SHA384',
  RSA_PKCS1_SHA512: 'RSA_PKCS1_SHA512',
  ECDSA_P384_SHA384: 'ECDSA_P384_SHA384',
  ECDSA_P521_SHA512: 'ECDSA_P521_SHA512',
  ECDSA_SECP256K1_SHA256: 'ECDSA_SECP256K1_SHA256',
  ML_DSA_44: 'ML_DSA_44',
  ML_DSA_65: 'ML_DSA_65',
  ML_DSA_87: 'ML_DSA_87',
} as const;
export type KeyAlg = (typeof KeyAlg)[keyof typeof KeyAlg];

export const KeyUse = {
  ENCRYPT: 'encrypt',
  DECRYPT: 'decrypt',
  SIGN: 'sign',
  VERIFY: 'verify',
  WRAP: 'wrap',
  UNWRAP: 'unwrap',
  ENCAPS: 'encaps',
  DECAPS: 'decaps',
} as const;
export type KeyUse = (typeof KeyUse)[keyof typeof KeyUse];

export const ExportPolicy = {
  NONE: 'none',
  PUBLIC_ONLY: 'public_only',
  SECRET_WHEN_ALLOWED: 'secret_when_allowed',
} as const;
export type ExportPolicy = (typeof ExportPolicy)[keyof typeof ExportPolicy];

export const KeyType = {
  SYMMETRIC: 'symmetric',
  RSA: 'rsa',
  EC: 'ec',
  ED25519: 'ed25519',
  X25519: 'x25519',
  OPAQUE: 'opaque',
} as const;
export type KeyType = (typeof KeyType)[keyof typeof KeyType];

/** What to create. */
export interface KeySpec {
  klass: KeyClass;
  alg: KeyAlg;
  /** Derived from `alg` when absent; when given it must equal (as a set) what the alg allows. */
  uses?: readonly KeyUse[];
  /** KMS keys never export: 'secret_when_allowed' is accepted and never honoured. */
  exportPolicy?: ExportPolicy;
  /** RSA only: 2048 | 3072 | 4096, default 3072. */
  sizeBits?: number;
  label?: string;
  tags?: Readonly<Record<string, string>>;
}

/** Tags of a KeyRef: the Swarmauri wire contract plus the caller's own tags. */
export interface KeyRefTags {
  alg: string;
  'kms:key_id': string;
  'kms:region': string;
  'kms:arn'?: string;
  label?: string;
  [key: string]: string | undefined;
}

/** Metadata of one version of a key. Never carries private material. */
export interface KeyRef {
  /** 16 lowercase hex characters. */
  kid: string;
  /** >= 1. */
  version: number;
  type: KeyType;
  uses: KeyUse[];
  /** Always 'none' for KMS keys. */
  exportPolicy: ExportPolicy;
  /** SPKI PEM; asymmetric keys only (absent otherwise). */
  public?: string;
  /** Never present: KMS keys are non-exportable. */
  material?: undefined;
  /** sha256 hex of the PEM text; of the kid when there is no public key. */
  fingerprint: string;
  tags: KeyRefTags;
}

/**
 * A public JSON Web Key (RFC 7517) as published by this library: RSA, EC (RFC 7518, secp256k1 RFC 8812), OKP
 * Ed25519 (RFC 8037) or AKP ML-DSA (draft-ietf-cose-dilithium); never private members.
 */
export type Jwk = RsaPublicJwk | EcPublicJwk | OkpPublicJwk | AkpPublicJwk;

/**
 * What `jwks({ x5c: true })` adds to the JWK of a signing key version (RFC 7517 §4.7, §4.9): a self-signed X.509
 * certificate of that public key, signed by KMS, and its SHA-256 thumbprint.
 */
export interface JwkCertificate {
  /** One base64 (not base64url) DER certificate: subject = issuer = `CN=<kid>.<version>`. */
  x5c?: [string];
  /** base64url SHA-256 of that DER certificate. */
  'x5t#S256'?: string;
}

export interface RsaPublicJwk extends JwkCertificate {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: string;
  use: 'sig' | 'enc';
}

export interface EcPublicJwk extends JwkCertificate {
  kty: 'EC';
  crv: 'P-256' | 'P-384' | 'P-521' | 'secp256k1';
  x: string;
  y: string;
  kid: string;
  alg: string;
  use: 'sig' | 'enc';
}

export interface OkpPublicJwk extends JwkCertificate {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: string;
  use: 'sig';
}

export interface AkpPublicJwk extends JwkCertificate {
  kty: 'AKP';
  /** The parameter set: `ML-DSA-44`, `ML-DSA-65` or `ML-DSA-87` (an AKP key is bound to its alg). */
  alg: string;
  pub: string;
  kid: string;
  use: 'sig';
}

export interface Jwks {
  keys: Jwk[];
}

/** What `supports()` reports. */
export interface ProviderCapabilities {
  class: readonly KeyClass[];
  algs: readonly KeyAlg[];
  features: readonly string[];
}
