/**
 * Swarmauri KeySpec → AWS KMS KeySpec/KeyUsage, JOSE alg/use per KeyAlg, and validation of a KeySpec
 * before any KMS call.
 */
import { ExportPolicy, KeyAlg, KeyClass, KeyUse, type KeySpec } from './key-types.js';
import { InvalidArgumentError, UnsupportedAlgorithmError } from './errors.js';
import { validateCallerTags, validateLabel } from './tags.js';
import { describe, isRecord } from './validation.js';

export type KmsSpecName =
  | 'SYMMETRIC_DEFAULT'
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1'
  | 'ECC_NIST_EDWARDS25519'
  | 'ML_DSA_44'
  | 'ML_DSA_65'
  | 'ML_DSA_87'
  | 'HMAC_224'
  | 'HMAC_256'
  | 'HMAC_384'
  | 'HMAC_512';
export type KmsUsageName = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC';

export const RSA_SIZES = [2048, 3072, 4096] as const;
export const DEFAULT_RSA_SIZE = 3072;

/** The KeyAlgs this provider can create in KMS, in the order `supports()` and the CLI list them. */
export const SUPPORTED_ALGS = [
  KeyAlg.AES256_GCM,
  KeyAlg.HMAC_SHA224,
  KeyAlg.HMAC_SHA256,
  KeyAlg.HMAC_SHA384,
  KeyAlg.HMAC_SHA512,
  KeyAlg.RSA_OAEP_SHA256,
  KeyAlg.RSA_PSS_SHA256,
  KeyAlg.RSA_PSS_SHA384,
  KeyAlg.RSA_PSS_SHA512,
  KeyAlg.RSA_PKCS1_SHA256,
  KeyAlg.RSA_PKCS1_SHA384,
  KeyAlg.RSA_PKCS1_SHA512,
  KeyAlg.ECDSA_P256_SHA256,
  KeyAlg.ECDSA_P384_SHA384,
  KeyAlg.ECDSA_P521_SHA512,
  KeyAlg.ECDSA_SECP256K1_SHA256,
  KeyAlg.ED25519,
  KeyAlg.ML_DSA_44,
  KeyAlg.ML_DSA_65,
  KeyAlg.ML_DSA_87,
] as const;
export type SupportedAlg = (typeof SUPPORTED_ALGS)[number];

/** A KMS signing algorithm this provider signs with (the KMS `SigningAlgorithmSpec` names). */
export type KmsSigningAlgorithmName =
  | 'RSASSA_PSS_SHA_256'
  | 'RSASSA_PSS_SHA_384'
  | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256'
  | 'RSASSA_PKCS1_V1_5_SHA_384'
  | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256'
  | 'ECDSA_SHA_384'
  | 'ECDSA_SHA_512'
  | 'ED25519_SHA_512'
  | 'ML_DSA_SHAKE_256';

/**
 * How a signing alg signs through KMS Sign. `digest`: the hash KMS applies, so a caller may send the digest
 * (MessageType DIGEST) instead of the message; absent for Ed25519 (RAW only: Ed25519ph is another signature)
 * and ML-DSA (RAW, or EXTERNAL_MU: `externalMu`). `ecdsaBytes`: ECDSA signatures come back DER-encoded; JOSE
 * wants r‖s, each this many bytes.
 */
export interface SigningRules {
  kmsAlgorithm: KmsSigningAlgorithmName;
  digest?: 'SHA-256' | 'SHA-384' | 'SHA-512';
  ecdsaBytes?: number;
  externalMu?: true;
}

/** The public key a JWK of this alg must carry: `RSA`, `EC:<crv>`, `OKP:<crv>` or `AKP:<alg>`. */
type KeyShape = 'RSA' | `EC:${string}` | `OKP:${string}` | `AKP:${string}`;

interface AlgRules {
  klass: 'sym' | 'asym';
  usage: KmsUsageName;
  /** The KMS KeySpec; `RSA` is RSA_<size>. */
  spec: KmsSpecName | 'RSA';
  /** The uses a KeyRef reports (what the KMS KeyUsage permits). */
  uses: readonly KeyUse[];
  /** What a caller may ask for in `spec.uses`. */
  allowedUses: readonly KeyUse[];
  /** Published algs only (never symmetric or HMAC). */
  jose?: { alg: string; use: 'sig' | 'enc'; key: KeyShape };
  signing?: SigningRules;
}

const SIGN_USES = [KeyUse.SIGN, KeyUse.VERIFY] as const;
const ENCRYPT_USES = [KeyUse.ENCRYPT, KeyUse.DECRYPT] as const;
const WRAP_USES = [KeyUse.ENCRYPT, KeyUse.DECRYPT, KeyUse.WRAP, KeyUse.UNWRAP] as const;

const hmac = (spec: KmsSpecName): AlgRules => ({
  klass: 'sym',
  usage: 'GENERATE_VERIFY_MAC',
  spec,
  uses: SIGN_USES,
  allowedUses: SIGN_USES,
});
const signer = (spec: KmsSpecName | 'RSA', jose: string, key: KeyShape, signing: SigningRules): AlgRules => ({
  klass: 'asym',
  usage: 'SIGN_VERIFY',
  spec,
  uses: SIGN_USES,
  allowedUses: SIGN_USES,
  jose: { alg: jose, use: 'sig', key },
  signing,
});
const rsaSigner = (jose: string, kmsAlgorithm: KmsSigningAlgorithmName, digest: 'SHA-256' | 'SHA-384' | 'SHA-512'): AlgRules =>
  signer('RSA', jose, 'RSA', { kmsAlgorithm, digest });
const ecdsa = (spec: KmsSpecName, jose: string, crv: string, bits: 256 | 384 | 512, ecdsaBytes: number): AlgRules =>
  signer(spec, jose, `EC:${crv}`, { kmsAlgorithm: `ECDSA_SHA_${bits}`, digest: `SHA-${bits}`, ecdsaBytes });
const mlDsa = (spec: KmsSpecName, jose: string): AlgRules =>
  signer(spec, jose, `AKP:${jose}`, { kmsAlgorithm: 'ML_DSA_SHAKE_256', externalMu: true });

const ALG_RULES: Record<SupportedAlg, AlgRules> = {
  AES256_GCM: { klass: 'sym', usage: 'ENCRYPT_DECRYPT', spec: 'SYMMETRIC_DEFAULT', uses: ENCRYPT_USES, allowedUses: WRAP_USES },
  HMAC_SHA224: hmac('HMAC_224'),
  HMAC_SHA256: hmac('HMAC_256'),
  HMAC_SHA384: hmac('HMAC_384'),
  HMAC_SHA512: hmac('HMAC_512'),
  RSA_OAEP_SHA256: {
    klass: 'asym',
    usage: 'ENCRYPT_DECRYPT',
    spec: 'RSA',
    uses: ENCRYPT_USES,
    allowedUses: WRAP_USES,
    jose: { alg: 'RSA-OAEP-256', use: 'enc', key: 'RSA' },
  },
  RSA_PSS_SHA256: rsaSigner('PS256', 'RSASSA_PSS_SHA_256', 'SHA-256'),
  RSA_PSS_SHA384: rsaSigner('PS384', 'RSASSA_PSS_SHA_384', 'SHA-384'),
  RSA_PSS_SHA512: rsaSigner('PS512', 'RSASSA_PSS_SHA_512', 'SHA-512'),
  RSA_PKCS1_SHA256: rsaSigner('RS256', 'RSASSA_PKCS1_V1_5_SHA_256', 'SHA-256'),
  RSA_PKCS1_SHA384: rsaSigner('RS384', 'RSASSA_PKCS1_V1_5_SHA_384', 'SHA-384'),
  RSA_PKCS1_SHA512: rsaSigner('RS512', 'RSASSA_PKCS1_V1_5_SHA_512', 'SHA-512'),
  ECDSA_P256_SHA256: ecdsa('ECC_NIST_P256', 'ES256', 'P-256', 256, 32),
  ECDSA_P384_SHA384: ecdsa('ECC_NIST_P384', 'ES384', 'P-384', 384, 48),
  ECDSA_P521_SHA512: ecdsa('ECC_NIST_P521', 'ES512', 'P-521', 512, 66),
  ECDSA_SECP256K1_SHA256: ecdsa('ECC_SECG_P256K1', 'ES256K', 'secp256k1', 256, 32),
  ED25519: signer('ECC_NIST_EDWARDS25519', 'EdDSA', 'OKP:Ed25519', { kmsAlgorithm: 'ED25519_SHA_512' }),
  ML_DSA_44: mlDsa('ML_DSA_44', 'ML-DSA-44'),
  ML_DSA_65: mlDsa('ML_DSA_65', 'ML-DSA-65'),
  ML_DSA_87: mlDsa('ML_DSA_87', 'ML-DSA-87'),
};

const KNOWN_CLASSES: readonly string[] = Object.values(KeyClass);
const KNOWN_ALGS: readonly string[] = Object.values(KeyAlg);
const KNOWN_POLICIES: readonly string[] = Object.values(ExportPolicy);

/** A KeySpec checked and mapped to what KMS CreateKey needs. */
export interface ResolvedKeySpec {
  alg: SupportedAlg;
  kmsKeySpec: KmsSpecName;
  kmsKeyUsage: KmsUsageName;
  uses: KeyUse[];
  /** Set for RSA algs. */
  sizeBits?: number;
  label?: string;
  tags: Record<string, string>;
}

/** A KeyAlg this provider can create; UnsupportedAlgorithmError for other Swarmauri algs and unknown names. */
export function supportedAlg(alg: unknown): SupportedAlg {
  if (typeof alg !== 'string' || !KNOWN_ALGS.includes(alg)) {
    const named = typeof alg === 'string' ? algOfJoseName(alg) : undefined;
    const hint = named === undefined ? '' : `; ${String(alg)} is the JOSE name of ${named}`;
    throw new UnsupportedAlgorithmError(
      `Unknown key algorithm: ${describe(alg)} (supported: ${SUPPORTED_ALGS.join(', ')})${hint}`,
    );
  }
  if (!(alg in ALG_RULES)) {
    throw new UnsupportedAlgorithmError(
      `Unsupported alg for AWS KMS: ${alg} (supported: ${SUPPORTED_ALGS.join(', ')})`,
    );
  }
  return alg as SupportedAlg;
}

/** The KeyAlg whose JWKs carry this JOSE `alg` (`RS256` → RSA_PKCS1_SHA256), if any. */
export function algOfJoseName(joseAlg: string): SupportedAlg | undefined {
  return SUPPORTED_ALGS.find((alg) => ALG_RULES[alg].jose?.alg === joseAlg);
}

export function isRsaAlg(alg: SupportedAlg): boolean {
  return ALG_RULES[alg].spec === 'RSA';
}

/** RSA key size: one of 2048, 3072, 4096. */
export function validateRsaSize(sizeBits: unknown): number {
  if (typeof sizeBits !== 'number' || !(RSA_SIZES as readonly number[]).includes(sizeBits)) {
    throw new InvalidArgumentError(
      `AWS KMS RSA supports 2048/3072/4096 bit sizes; got sizeBits ${describe(sizeBits)}`,
    );
  }
  return sizeBits;
}

/** KMS KeySpec for an alg (and RSA size). */
export function kmsKeySpecFor(alg: SupportedAlg, sizeBits = DEFAULT_RSA_SIZE): KmsSpecName {
  const { spec } = ALG_RULES[alg];
  return spec === 'RSA' ? (`RSA_${validateRsaSize(sizeBits)}` as KmsSpecName) : spec;
}

/** Whether KMS keys of this spec have a public key (GetPublicKey): not symmetric, not HMAC. */
export function hasPublicKey(kmsKeySpec: string): boolean {
  return kmsKeySpec !== 'SYMMETRIC_DEFAULT' && !kmsKeySpec.startsWith('HMAC_');
}

/** RSA size in bits of a KMS KeySpec (`RSA_2048` → 2048), undefined for other specs. */
export function rsaSizeOfKmsKeySpec(kmsKeySpec: string): number | undefined {
  const match = /^RSA_(\d+)$/.exec(kmsKeySpec);
  return match ? Number(match[1]) : undefined;
}

/**
 * The one supported alg a KMS key (KeySpec, KeyUsage) can be, when only one can: then a JWK needs no
 * `saur:alg` tag. Undefined when the key could be several algs, or none this provider supports.
 */
export function algOfKmsKey(kmsKeySpec: string, kmsKeyUsage: string): SupportedAlg | undefined {
  const matching = SUPPORTED_ALGS.filter(
    (alg) =>
      ALG_RULES[alg].usage === kmsKeyUsage &&
      (isRsaAlg(alg) ? rsaSizeOfKmsKeySpec(kmsKeySpec) !== undefined : kmsKeySpecFor(alg) === kmsKeySpec),
  );
  return matching.length === 1 ? matching[0] : undefined;
}

export function kmsKeyUsageFor(alg: SupportedAlg): KmsUsageName {
  return ALG_RULES[alg].usage;
}

/** The uses a KeyRef reports for a KMS KeyUsage. */
export function usesForKmsKeyUsage(usage: string): KeyUse[] {
  return usage === 'SIGN_VERIFY' || usage === 'GENERATE_VERIFY_MAC' ? [...SIGN_USES] : [...ENCRYPT_USES];
}

/**
 * JOSE `alg` and `use` of a KeyAlg, and the public key its JWK carries (`RSA`, `EC:<crv>`, `OKP:<crv>`,
 * `AKP:<alg>`); undefined for symmetric and HMAC algs (never published as JWK).
 */
export function joseFor(alg: SupportedAlg): { alg: string; use: 'sig' | 'enc'; key: KeyShape } | undefined {
  return ALG_RULES[alg].jose;
}

/** The key class a KeyAlg goes with: `sym` (AES, HMAC) or `asym`. */
export function keyClassFor(alg: SupportedAlg): 'sym' | 'asym' {
  return ALG_RULES[alg].klass;
}

/** How a KeyAlg signs through KMS Sign; undefined for algs that do not sign (encryption, HMAC). */
export function signingFor(alg: SupportedAlg): SigningRules | undefined {
  return ALG_RULES[alg].signing;
}

/** The KeyAlgs that sign JOSE tokens through KMS Sign (what KmsJwtSigner can use). */
export const SIGNING_ALGS: readonly SupportedAlg[] = SUPPORTED_ALGS.filter((alg) => ALG_RULES[alg].signing !== undefined);

/** Checks a caller's KeySpec completely and maps it; throws typed errors, makes no call. */
export function resolveKeySpec(spec: unknown): ResolvedKeySpec {
  if (!isRecord(spec)) throw new InvalidArgumentError('KeySpec must be an object');
  const { klass, alg, uses, exportPolicy, sizeBits, label, tags } = spec as Partial<Record<keyof KeySpec, unknown>>;
  if (typeof klass !== 'string' || !KNOWN_CLASSES.includes(klass)) {
    throw new InvalidArgumentError(`Unknown key class: ${describe(klass)} (expected one of ${KNOWN_CLASSES.join(', ')})`);
  }
  const supported = supportedAlg(alg);
  const rules = ALG_RULES[supported];
  // 'opaque' takes the asymmetric rows, as in the original; 'sym' must go with a symmetric alg and back.
  if ((klass === KeyClass.symmetric) !== (rules.klass === 'sym')) {
    throw new InvalidArgumentError(`Key class '${klass}' does not match alg ${supported}`);
  }
  if (exportPolicy !== undefined && (typeof exportPolicy !== 'string' || !KNOWN_POLICIES.includes(exportPolicy))) {
    throw new InvalidArgumentError(`Unknown export policy: ${describe(exportPolicy)}`);
  }
  if (uses !== undefined) validateUses(uses, supported, rules);
  const resolved: ResolvedKeySpec = {
    alg: supported,
    kmsKeySpec: 'SYMMETRIC_DEFAULT',
    kmsKeyUsage: rules.usage,
    uses: [...rules.uses],
    tags: validateCallerTags(tags),
  };
  if (isRsaAlg(supported)) {
    resolved.sizeBits = sizeBits === undefined ? DEFAULT_RSA_SIZE : validateRsaSize(sizeBits);
    resolved.kmsKeySpec = kmsKeySpecFor(supported, resolved.sizeBits);
  } else {
    if (sizeBits !== undefined) {
      throw new InvalidArgumentError(`sizeBits applies to RSA algs only; ${supported} has a fixed size`);
    }
    resolved.kmsKeySpec = kmsKeySpecFor(supported);
  }
  const validLabel = validateLabel(label);
  if (validLabel !== undefined) resolved.label = validLabel;
  return resolved;
}

function validateUses(uses: unknown, alg: SupportedAlg, rules: AlgRules): void {
  if (!Array.isArray(uses) || uses.length === 0) {
    throw new InvalidArgumentError('KeySpec.uses must be a non-empty array of KeyUse values');
  }
  for (const use of uses) {
    if (!rules.allowedUses.includes(use as KeyUse)) {
      throw new InvalidArgumentError(
        `Use ${describe(use)} is not possible with ${alg} (allowed: ${rules.allowedUses.join(', ')})`,
      );
    }
  }
}
