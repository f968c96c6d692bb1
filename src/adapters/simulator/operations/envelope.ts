import type {
  GenerateDataKeyPairRequest,
  GenerateDataKeyPairResponse,
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
  KmsCallOptions,
  KmsDataKeyPairSpec,
  ReEncryptRequest,
  ReEncryptResponse,
} from '../../../ports/kms.port.js';
import { readRequest } from '../../kms-model/request-reader.js';
import { generateDataKeyPair as makeKeyPair } from '../crypto/data-key-pair.js';
import type { EngineContext } from '../engine-context.js';
import { dryRun as dryRunException } from '../model/exceptions.js';
import { dataKeyPairSource } from '../rules/data-key-pair-rules.js';
import { checkDataKeyKey } from '../rules/key-usage-rules.js';
import { decrypt, encryptUnder, generateDataKey, keyMaterialIdOf, seal } from './encryption.js';

/**
 * Envelope encryption (docs/kms-behaviour.md §9.1): ReEncrypt, GenerateDataKeyWithoutPlaintext and the data key
 * pairs. Every ciphertext here is made and opened by the Encrypt / Decrypt / GenerateDataKey code of
 * operations/encryption.ts — one blob format, one choice of key material — so ReEncrypt is a Decrypt under the
 * source key followed by an Encrypt under the destination key, and a private key of a data key pair is sealed as
 * Encrypt would seal it, so Decrypt opens it with the same encryption context.
 */

/**
 * Decrypts under the source key (SourceKeyId, or the key the symmetric blob names) with Decrypt's checks and
 * refusals, then encrypts under the destination key with Encrypt's. DryRun: the ciphertext is decrypted (as
 * Decrypt's dry run does) and the destination checked, then DryRunOperationException; nothing is encrypted.
 */
export async function reEncrypt(
  ctx: EngineContext,
  input: ReEncryptRequest,
  options: KmsCallOptions | undefined,
): Promise<ReEncryptResponse> {
  const {
    CiphertextBlob,
    SourceEncryptionContext,
    SourceKeyId,
    DestinationKeyId,
    DestinationEncryptionContext,
    SourceEncryptionAlgorithm,
    DestinationEncryptionAlgorithm,
    GrantTokens,
    DryRun,
  } = readRequest('reEncrypt', input);
  const grants = GrantTokens === undefined ? {} : { GrantTokens };
  const source = await decrypt(
    ctx,
    {
      CiphertextBlob,
      ...(SourceEncryptionContext === undefined ? {} : { EncryptionContext: SourceEncryptionContext }),
      ...(SourceKeyId === undefined ? {} : { KeyId: SourceKeyId }),
      ...(SourceEncryptionAlgorithm === undefined ? {} : { EncryptionAlgorithm: SourceEncryptionAlgorithm }),
      ...grants,
    },
    options,
    'ReEncrypt',
  );
  try {
    const destination = await ctx.keyFor('ReEncrypt', DestinationKeyId, GrantTokens, {
      permission: 'ReEncryptTo',
      encryptionContext: DestinationEncryptionContext,
    });
    const algorithm = DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const target = await encryptUnder(ctx, destination, source.Plaintext, DestinationEncryptionContext, algorithm, DryRun, 'ReEncrypt');
    const destinationMaterial = keyMaterialIdOf(destination.record).KeyMaterialId;
    return {
      CiphertextBlob: target.CiphertextBlob,
      SourceKeyId: source.KeyId,
      KeyId: target.KeyId,
      SourceEncryptionAlgorithm: source.EncryptionAlgorithm,
      DestinationEncryptionAlgorithm: target.EncryptionAlgorithm,
      ...(source.KeyMaterialId === undefined ? {} : { SourceKeyMaterialId: source.KeyMaterialId }),
      ...(destinationMaterial === undefined ? {} : { DestinationKeyMaterialId: destinationMaterial }),
    };
  } finally {
    source.Plaintext.fill(0);
  }
}

/** GenerateDataKey without the plaintext: the same checks, the same ciphertext; the plaintext is wiped. */
export async function generateDataKeyWithoutPlaintext(
  ctx: EngineContext,
  input: GenerateDataKeyWithoutPlaintextRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateDataKeyWithoutPlaintextResponse> {
  const request = readRequest('generateDataKeyWithoutPlaintext', input);
  const { Plaintext, ...rest } = await generateDataKey(ctx, request, options, 'GenerateDataKeyWithoutPlaintext');
  Plaintext.fill(0);
  return rest;
}

/** A fresh key pair; the private key PKCS#8 DER in plaintext and sealed under the symmetric KMS key. */
export async function generateDataKeyPair(
  ctx: EngineContext,
  input: GenerateDataKeyPairRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateDataKeyPairResponse> {
  const request = readRequest('generateDataKeyPair', input);
  return dataKeyPair(ctx, 'GenerateDataKeyPair', request, options, true);
}

/** GenerateDataKeyPair without PrivateKeyPlaintext. */
export async function generateDataKeyPairWithoutPlaintext(
  ctx: EngineContext,
  input: GenerateDataKeyPairWithoutPlaintextRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateDataKeyPairWithoutPlaintextResponse> {
  const request = readRequest('generateDataKeyPairWithoutPlaintext', input);
  return dataKeyPair(ctx, 'GenerateDataKeyPairWithoutPlaintext', request, options, false);
}

/**
 * Order of checks: shape; the KMS key (resolution, grant tokens, state, usage ENCRYPT_DECRYPT, spec
 * SYMMETRIC_DEFAULT); the KeyPairSpec in this Region (SM2 only in China); DryRun; then the pair is generated.
 * Recipient is type-checked and otherwise ignored: PrivateKeyPlaintext is always returned, never
 * CiphertextForRecipient (docs/kms-behaviour.md §15).
 */
async function dataKeyPair(
  ctx: EngineContext,
  operation: 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext',
  request: GenerateDataKeyPairWithoutPlaintextRequest,
  options: KmsCallOptions | undefined,
  withPlaintext: boolean,
): Promise<GenerateDataKeyPairResponse> {
  const { KeyId, KeyPairSpec, EncryptionContext: context, GrantTokens = [], DryRun: dryRun } = request;
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor(operation, KeyId, GrantTokens, { encryptionContext: context });
  checkDataKeyKey(record, arn, operation);
  const source = dataKeyPairSource(KeyPairSpec as KmsDataKeyPairSpec, ctx.arns.region);
  if (dryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  const pair = await makeKeyPair(source, ctx.crypto);
  const sealed = seal(ctx, record.keyId, material, pair.privateKey, context);
  const response = {
    PrivateKeyCiphertextBlob: sealed,
    PublicKey: pair.publicKey,
    KeyId: arn,
    KeyPairSpec,
    ...keyMaterialIdOf(record),
  };
  if (withPlaintext) return { ...response, PrivateKeyPlaintext: pair.privateKey };
  pair.privateKey.fill(0);
  return response as GenerateDataKeyPairResponse;
}
