import type {
  DecryptRequest,
  DecryptResponse,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  KmsCallOptions,
  KmsDataKeySpec,
  KmsEncryptionAlgorithm,
} from '../../../ports/kms.port.js';
import { readRequest } from '../../kms-model/request-reader.js';
import { rsaOaepDecrypt, rsaOaepEncrypt } from '../crypto/rsa-oaep.js';
import { IV_BYTES, ciphertextKeyId, openSymmetric, sealSymmetric } from '../crypto/symmetric-blob.js';
import { type EngineContext, type ResolvedKey, publicKeyOf } from '../engine-context.js';
import { originalMaterialId } from '../model/key-materials.js';
import { dryRun as dryRunException, incorrectKey, invalidCiphertext, validationException } from '../model/exceptions.js';
import {
  checkDataKeyKey,
  checkEncryptionKey,
  checkRsaPlaintextLength,
  refuseAsymmetricContext,
  rsaAlgorithmOf,
} from '../rules/key-usage-rules.js';
import type { KeyMaterial, KeyRecord } from '../store/simulator-store.js';

/**
 * Encryption operations (docs/kms-behaviour.md §9): Encrypt, Decrypt, GenerateDataKey. Symmetric keys:
 * AES-256-GCM in the simulator's own blob format (crypto/symmetric-blob.ts), the EncryptionContext bound as
 * additional authenticated data. RSA keys: RSAES-OAEP; the blob is the raw OAEP ciphertext, as in AWS.
 */

const DATA_KEY_BYTES: Readonly<Record<KmsDataKeySpec, number>> = { AES_256: 32, AES_128: 16 };

export async function encrypt(
  ctx: EngineContext,
  input: EncryptRequest,
  options: KmsCallOptions | undefined,
): Promise<EncryptResponse> {
  const operation = 'Encrypt';
  const {
    KeyId,
    Plaintext: plaintext,
    EncryptionContext: context,
    EncryptionAlgorithm: algorithm = 'SYMMETRIC_DEFAULT',
    GrantTokens = [],
    DryRun: dryRun,
  } = readRequest('encrypt', input);

  await ctx.beforeRead(options);
  const key = await ctx.keyFor(operation, KeyId, GrantTokens, { encryptionContext: context });
  return encryptUnder(ctx, key, plaintext, context, algorithm, dryRun, operation);
}

/** Encrypt's work after its key is found (ReEncrypt's destination half too, with the key it has found). */
export async function encryptUnder(
  ctx: EngineContext,
  { record, arn }: ResolvedKey,
  plaintext: Uint8Array,
  context: EncryptRequest['EncryptionContext'],
  algorithm: KmsEncryptionAlgorithm,
  dryRun: boolean | undefined,
  operation: 'Encrypt' | 'ReEncrypt',
): Promise<EncryptResponse> {
  checkEncryptionKey(record, arn, operation, algorithm);
  const rsa = rsaAlgorithmOf(record, algorithm);
  if (rsa !== undefined) {
    refuseAsymmetricContext(context);
    checkRsaPlaintextLength(record, rsa, plaintext.length);
  }
  if (dryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  const CiphertextBlob =
    rsa === undefined
      ? seal(ctx, record.keyId, material, plaintext, context)
      : rsaOaepEncrypt(publicKeyOf(material, arn), rsa, plaintext);
  return { CiphertextBlob, KeyId: arn, EncryptionAlgorithm: algorithm };
}

/**
 * KeyId is optional for symmetric ciphertexts (the blob names its key) and required for RSA ones. A KeyId other
 * than the blob's key → IncorrectKeyException; a wrong context, a changed blob or one that names no symmetric key
 * of this account → InvalidCiphertextException with an empty message. DryRun decrypts, then refuses to answer:
 * AWS validates the ciphertext in a dry run unless told to ignore it (DryRunModifiers, not in the port).
 */
export async function decrypt(
  ctx: EngineContext,
  input: DecryptRequest,
  options: KmsCallOptions | undefined,
  operation: 'Decrypt' | 'ReEncrypt' = 'Decrypt',
): Promise<DecryptResponse> {
  const {
    CiphertextBlob: blob,
    EncryptionContext: context,
    KeyId,
    EncryptionAlgorithm: algorithm = 'SYMMETRIC_DEFAULT',
    GrantTokens = [],
    DryRun: dryRun,
  } = readRequest('decrypt', input);

  await ctx.beforeRead(options);
  const blobKeyId = ciphertextKeyId(blob);
  const access = { encryptionContext: context, ...(operation === 'ReEncrypt' ? { permission: 'ReEncryptFrom' as const } : {}) };
  const { record, arn } = await ctx.keyFor(operation, KeyId ?? { ciphertextKeyId: blobKeyId }, GrantTokens, access);
  checkEncryptionKey(record, arn, operation, algorithm);
  const rsa = rsaAlgorithmOf(record, algorithm);
  if (rsa !== undefined) refuseAsymmetricContext(context);
  else if (blobKeyId === undefined) throw invalidCiphertext();
  else if (blobKeyId !== record.keyId) throw incorrectKey();
  const material = rsa === undefined ? await ctx.ciphertextMaterial(record, blob) : await ctx.material(record.keyId);
  if (material === undefined) throw invalidCiphertext();
  const plaintext =
    rsa === undefined ? openSymmetric(material.secret, blob, context) : rsaOaepDecrypt(material.secret, rsa, blob);
  if (plaintext === undefined) throw invalidCiphertext();
  if (dryRun === true) throw dryRunException();
  const decryptedWith = rsa === undefined ? (material.keyMaterialId ?? originalMaterialId(record)) : undefined;
  return {
    KeyId: arn,
    Plaintext: plaintext,
    EncryptionAlgorithm: algorithm,
    ...(decryptedWith === undefined ? {} : { KeyMaterialId: decryptedWith }),
  };
}

/** A fresh data key (exactly one of KeySpec and NumberOfBytes), in plaintext and encrypted as Encrypt would. */
export async function generateDataKey(
  ctx: EngineContext,
  input: GenerateDataKeyRequest,
  options: KmsCallOptions | undefined,
  operation: 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext' = 'GenerateDataKey',
): Promise<GenerateDataKeyResponse> {
  const {
    KeyId,
    EncryptionContext: context,
    NumberOfBytes: numberOfBytes,
    KeySpec: keySpec,
    GrantTokens = [],
    DryRun: dryRun,
  } = readRequest('generateDataKey', input);

  // The text AWS SDK users meet for both and for neither (moto and local-kms agree).
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    throw validationException('Please specify either number of bytes or key spec.');
  }
  const length = numberOfBytes ?? DATA_KEY_BYTES[keySpec as KmsDataKeySpec];
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor(operation, KeyId, GrantTokens, { encryptionContext: context });
  checkDataKeyKey(record, arn, operation);
  if (dryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  const plaintext = ctx.crypto.getRandomValues(new Uint8Array(length));
  return {
    CiphertextBlob: seal(ctx, record.keyId, material, plaintext, context),
    Plaintext: plaintext,
    KeyId: arn,
    ...keyMaterialIdOf(record),
  };
}

export function seal(
  ctx: EngineContext,
  keyId: string,
  material: KeyMaterial,
  plaintext: Uint8Array,
  context: Record<string, string> | undefined,
): Uint8Array {
  const iv = ctx.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  return sealSymmetric(keyId, material.secret, iv, plaintext, context, material.keyMaterialId);
}

export function keyMaterialIdOf(record: KeyRecord): { KeyMaterialId?: string } {
  return record.currentKeyMaterialId === undefined ? {} : { KeyMaterialId: record.currentKeyMaterialId };
}
