import type {
  CreateAliasRequest,
  KeyIdRequest,
  KmsDataKeySpec,
  KmsKeySpec,
  KmsMessageType,
  KmsOrigin,
  UpdateAliasRequest,
} from '../../../ports/kms.port.js';
import { MARKER_RULE, type PageLimit } from '../model/pagination.js';
import { ALIAS_NAME_RULE, checkAliasName } from '../rules/alias-rules.js';
import { InputReader } from '../validation.js';

/**
 * The request members several operations read alike (docs/kms-behaviour.md §3, §5): their model constraints,
 * the enums in the order the service lists them in validation messages, and the reading blocks shared by more
 * than one operation. Every operation reads its whole request first (`InputReader` … `done()`), then acts.
 */

export const KEY_ID_RULE = { required: true, min: 1, max: 2048 } as const;
/** An optional KeyId (the ListAliases filter, Decrypt's KeyId). */
export const OPTIONAL_KEY_ID_RULE = { min: 1, max: 2048 } as const;
/** Plaintext of Encrypt, Message of Sign/Verify and GenerateMac/VerifyMac. */
export const DATA_RULE = { required: true, min: 1, max: 4096 } as const;
/** CiphertextBlob of Decrypt, Signature of Verify, Mac of VerifyMac. */
export const OUTPUT_BLOB_RULE = { required: true, min: 1, max: 6144 } as const;
export const POLICY_RULE = { min: 1, max: 131_072 } as const;
export const DESCRIPTION_RULE = { min: 0, max: 8192 } as const;

/** KeySpec enum, in the order the service lists it in validation messages. */
export const KEY_SPECS: readonly KmsKeySpec[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
];
/** The deprecated CustomerMasterKeySpec enum never gained the 2025 specs (Edwards25519, ML-DSA). */
export const CUSTOMER_MASTER_KEY_SPECS: readonly KmsKeySpec[] = KEY_SPECS.filter(
  (s) => s !== 'ECC_NIST_EDWARDS25519' && !s.startsWith('ML_DSA_'),
);
export const ORIGINS: readonly KmsOrigin[] = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'];
export const MESSAGE_TYPES: readonly KmsMessageType[] = ['RAW', 'DIGEST', 'EXTERNAL_MU'];
export const DATA_KEY_BYTES: Readonly<Record<KmsDataKeySpec, number>> = { AES_256: 32, AES_128: 16 };
export const DATA_KEY_SPECS = Object.keys(DATA_KEY_BYTES) as KmsDataKeySpec[];

/** The whole request of an operation that takes only a KeyId. */
export function readKeyIdOnly(input: KeyIdRequest): string {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  r.done();
  return keyId;
}

/** The whole request of CreateAlias and UpdateAlias, with the alias name rules. */
export function readAliasRequest(input: CreateAliasRequest | UpdateAliasRequest): { aliasName: string; targetKeyId: string } {
  const r = new InputReader(input);
  const aliasName = r.string('AliasName', ALIAS_NAME_RULE) as string;
  const targetKeyId = r.string('TargetKeyId', KEY_ID_RULE) as string;
  r.done();
  checkAliasName(aliasName);
  return { aliasName, targetKeyId };
}

/** Limit and Marker of a listing. */
export function readPaging(r: InputReader, limits: PageLimit): { limit: number; marker: string | undefined } {
  const limit = r.integer('Limit', { min: 1, max: limits.max }) ?? limits.default;
  const marker = r.string('Marker', MARKER_RULE);
  return { limit, marker };
}

/** GrantTokens: 0–10 tokens of 1–8192 characters. */
export function readGrantTokens(r: InputReader): string[] {
  return r.stringList('GrantTokens', { maxItems: 10 }, { min: 1, max: 8192 }) ?? [];
}
