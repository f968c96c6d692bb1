/**
 * Swarmauri KeySpec → AWS KMS KeySpec/KeyUsage, JOSE alg/use per KeyAlg, and validation of a KeySpec
 * before any KMS call.
 */
import { ExportPolicy, KeyAlg, KeyClass, KeyUse, type KeySpec } from './key-types.js';
import { InvalidArgumentError, UnsupportedAlgorithmError } from './errors.js';
import { validateCallerTags, validateLabel } from './tags.js';
import { describe, isRecord } from './validation.js';

export type KmsSpecName = 'SYMMETRIC_DEFAULT' | 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'ECC_NIST_P256';
export type KmsUsageName = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';

export const RSA_SIZES = [2048, 3072, 4096] as const;
export const DEFAULT_RSA_SIZE = 3072;

/** The KeyAlgs this provider can create in KMS. */
export const SUPPORTED_ALGS = [
  KeyAlg.AES256_GCM,
  KeyAlg.RSA_OAEP_SHA256,
  KeyAlg.RSA_PSS_SHA256,
  KeyAlg.ECDSA_P256_SHA256,
] as const;
export type SupportedAlg = (typeof SUPPORTED_ALGS)[number];

interface AlgRules {
  klass: 'sym' | 'asym';
  usage: KmsUsageName;
  /** The uses a KeyRef reports (what the KMS KeyUsage permits). */
  uses: readonly KeyUse[];
  /** What a caller may ask for in `spec.uses`. */
  allowedUses: readonly KeyUse[];
  jose?: { alg: string; use: 'sig' | 'enc' };
}

const SIGN_USES = [KeyUse.SIGN, KeyUse.VERIFY] as const;
const ENCRYPT_USES = [KeyUse.ENCRYPT, KeyUse.DECRYPT] as const;
const WRAP_USES = [KeyUse.ENCRYPT, KeyUse.DECRYPT, KeyUse.WRAP, KeyUse.UNWRAP] as const;

const ALG_RULES: Record<SupportedAlg, AlgRules> = {
  AES256_GCM: { klass: 'sym', usage: 'ENCRYPT_DECRYPT', uses: ENCRYPT_USES, allowedUses: WRAP_USES },
  RSA_OAEP_SHA256: {
    klass: 'asym',
    usage: 'ENCRYPT_DECRYPT',
    uses: ENCRYPT_USES,
    allowedUses: WRAP_USES,
    jose: { alg: 'RSA-OAEP-256', use: 'enc' },
  },
  RSA_PSS_SHA256: {
    klass: 'asym',
    usage: 'SIGN_VERIFY',
    uses: SIGN_USES,
    allowedUses: SIGN_USES,
    jose: { alg: 'PS256', use: 'sig' },
  },
  ECDSA_P256_SHA256: {
    klass: 'asym',
    usage: 'SIGN_VERIFY',
    uses: SIGN_USES,
    allowedUses: SIGN_USES,
    jose: { alg: 'ES256', use: 'sig' },
  },
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
    throw new UnsupportedAlgorithmError(`Unknown key algorithm: ${describe(alg)} (supported: ${SUPPORTED_ALGS.join(', ')})`);
  }
  if (!(alg in ALG_RULES)) {
    throw new UnsupportedAlgorithmError(
      `Unsupported alg for AWS KMS: ${alg} (supported: ${SUPPORTED_ALGS.join(', ')})`,
    );
  }
  return alg as SupportedAlg;
}

export function isRsaAlg(alg: SupportedAlg): boolean {
  return alg === KeyAlg.RSA_OAEP_SHA256 || alg === KeyAlg.RSA_PSS_SHA256;
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
  if (isRsaAlg(alg)) return `RSA_${validateRsaSize(sizeBits)}` as KmsSpecName;
  return alg === KeyAlg.AES256_GCM ? 'SYMMETRIC_DEFAULT' : 'ECC_NIST_P256';
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
    (alg) => ALG_RULES[alg].usage === kmsKeyUsage && (isRsaAlg(alg) ? rsaSizeOfKmsKeySpec(kmsKeySpec) !== undefined : kmsKeySpecFor(alg) === kmsKeySpec),
  );
  return matching.length === 1 ? matching[0] : undefined;
}

export function kmsKeyUsageFor(alg: SupportedAlg): KmsUsageName {
  return ALG_RULES[alg].usage;
}

/** The uses a KeyRef reports for a KMS KeyUsage. */
export function usesForKmsKeyUsage(usage: string): KeyUse[] {
  return usage === 'SIGN_VERIFY' ? [...SIGN_USES] : [...ENCRYPT_USES];
}

/** JOSE `alg` and `use` of a KeyAlg; undefined for symmetric algs (never published as JWK). */
export function joseFor(alg: SupportedAlg): { alg: string; use: 'sig' | 'enc' } | undefined {
  return ALG_RULES[alg].jose;
}

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
