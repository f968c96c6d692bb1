import type {
  DecryptRequest,
  DecryptResponse,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  KmsCallOptions,
  KmsDataKeySpec,
} from '../../../ports/kms.port.js';
import { rsaOaepDecrypt, rsaOaepEncrypt } from '../crypto/rsa-oaep.js';
import { IV_BYTES, ciphertextKeyId, openSymmetric, sealSymmetric } from '../crypto/symmetric-blob.js';
import { type EngineContext, publicKeyOf } from '../engine-context.js';
import { dryRun as dryRunException, incorrectKey, invalidCiphertext, validationException } from '../model/exceptions.js';
import { ALL_ENCRYPTION_ALGORITHMS } from '../model/key-spec-table.js';
import {
  checkDataKeyKey,
  checkEncryptionKey,
  checkRsaPlaintextLength,
  refuseAsymmetricContext,
  rsaAlgorithmOf,
} from '../rules/key-usage-rules.js';
import type { KeyMaterial, KeyRecord } from '../store/simulator-store.js';
import { InputReader } from '../validation.js';
import {
  DATA_KEY_BYTES,
  DATA_KEY_SPECS,
  DATA_RULE,
  KEY_ID_RULE,
  OPTIONAL_KEY_ID_RULE,
  OUTPUT_BLOB_RULE,
  readGrantTokens,
} from './request-members.js';

/**
 * Encryption operations (docs/kms-behaviour.md §9): Encrypt, Decrypt, GenerateDataKey. Symmetric keys:
 * AES-256-GCM in the simulator's own blob format (crypto/symmetric-blob.ts), the EncryptionContext bound as
 * additional authenticated data. RSA keys: RSAES-OAEP; the blob is the raw OAEP ciphertext, as in AWS.
 */

export async function encrypt(
  ctx: EngineContext,
  input: EncryptRequest,
  options: KmsCallOptions | undefined,
): Promise<EncryptResponse> {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  const plaintext = Uint8Array.from(r.blob('Plaintext', DATA_RULE) ?? []);
  const context = r.stringMap('EncryptionContext');
  const algorithm = r.enumValue('EncryptionAlgorithm', ALL_ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
  const grantTokens = readGrantTokens(r);
  const dryRun = r.boolean('DryRun');
  r.done();

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('Encrypt', keyId, grantTokens);
  checkEncryptionKey(record, arn, 'Encrypt', algorithm);
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
): Promise<DecryptResponse> {
  const r = new InputReader(input);
  const blob = Uint8Array.from(r.blob('CiphertextBlob', OUTPUT_BLOB_RULE) ?? []);
  const context = r.stringMap('EncryptionContext');
  const keyId = r.string('KeyId', OPTIONAL_KEY_ID_RULE);
  const algorithm = r.enumValue('EncryptionAlgorithm', ALL_ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
  const grantTokens = readGrantTokens(r);
  const dryRun = r.boolean('DryRun');
  r.done();

  await ctx.beforeRead(options);
  const blobKeyId = ciphertextKeyId(blob);
  const { record, arn } = await ctx.keyFor('Decrypt', keyId ?? { ciphertextKeyId: blobKeyId }, grantTokens);
  checkEncryptionKey(record, arn, 'Decrypt', algorithm);
  const rsa = rsaAlgorithmOf(record, algorithm);
  if (rsa !== undefined) refuseAsymmetricContext(context);
  else if (blobKeyId === undefined) throw invalidCiphertext();
  else if (blobKeyId !== record.keyId) throw incorrectKey();
  const material = await ctx.material(record.keyId);
  const plaintext =
    rsa === undefined ? openSymmetric(material.secret, blob, context) : rsaOaepDecrypt(material.secret, rsa, blob);
  if (plaintext === undefined) throw invalidCiphertext();
  if (dryRun === true) throw dryRunException();
  return { KeyId: arn, Plaintext: plaintext, EncryptionAlgorithm: algorithm, ...keyMaterialIdOf(record) };
}

/** A fresh data key (exactly one of KeySpec and NumberOfBytes), in plaintext and encrypted as Encrypt would. */
export async function generateDataKey(
  ctx: EngineContext,
  input: GenerateDataKeyRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateDataKeyResponse> {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  const context = r.stringMap('EncryptionContext');
  const numberOfBytes = r.integer('NumberOfBytes', { min: 1, max: 1024 });
  const keySpec = r.enumValue('KeySpec', DATA_KEY_SPECS);
  const grantTokens = readGrantTokens(r);
  const dryRun = r.boolean('DryRun');
  r.done();

  // The text AWS SDK users meet for both and for neither (moto and local-kms agree).
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    throw validationException('Please specify either number of bytes or key spec.');
  }
  const length = numberOfBytes ?? DATA_KEY_BYTES[keySpec as KmsDataKeySpec];
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('GenerateDataKey', keyId, grantTokens);
  checkDataKeyKey(record, arn);
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

function seal(
  ctx: EngineContext,
  keyId: string,
  material: KeyMaterial,
  plaintext: Uint8Array,
  context: Record<string, string> | undefined,
): Uint8Array {
  const iv = ctx.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  return sealSymmetric(keyId, material.secret, iv, plaintext, context);
}

function keyMaterialIdOf(record: KeyRecord): { KeyMaterialId?: string } {
  return record.currentKeyMaterialId === undefined ? {} : { KeyMaterialId: record.currentKeyMaterialId };
}
