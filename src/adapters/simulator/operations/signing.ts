import type {
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  KmsCallOptions,
  SignRequest,
  SignResponse,
  VerifyRequest,
  VerifyResponse,
} from '../../../ports/kms.port.js';
import { type EngineContext, publicKeyOf } from '../engine-context.js';
import { dryRun as dryRunException, internal, invalidSignature, unsupported } from '../model/exceptions.js';
import { algorithmsOf } from '../model/key-metadata.js';
import { ALL_SIGNING_ALGORITHMS, KEY_SPEC_RULES } from '../model/key-spec-table.js';
import { checkMessageType, checkSigningKey } from '../rules/signing-rules.js';
import { InputReader } from '../validation.js';
import { DATA_RULE, KEY_ID_RULE, MESSAGE_TYPES, OUTPUT_BLOB_RULE, readGrantTokens } from './request-members.js';

/** Asymmetric key operations (docs/kms-behaviour.md §7, §8): GetPublicKey, Sign, Verify. */

/**
 * The DER SubjectPublicKeyInfo of an asymmetric key. Symmetric and HMAC keys → UnsupportedOperationException.
 * On a Disabled key this throws DisabledException (see the GetPublicKey row of the key-state policy table).
 */
export async function getPublicKey(
  ctx: EngineContext,
  input: GetPublicKeyRequest,
  options: KmsCallOptions | undefined,
): Promise<GetPublicKeyResponse> {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  const grantTokens = readGrantTokens(r);
  r.done();

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('GetPublicKey', keyId, grantTokens);
  if (KEY_SPEC_RULES[record.keySpec].type !== 'asymmetric') {
    throw unsupported(`${arn} key spec is ${record.keySpec} which is not valid for GetPublicKey.`);
  }
  const material = await ctx.material(record.keyId);
  const { MacAlgorithms: _none, ...algorithms } = algorithmsOf(record);
  return {
    KeyId: arn,
    PublicKey: Uint8Array.from(publicKeyOf(material, arn)),
    CustomerMasterKeySpec: record.keySpec,
    KeySpec: record.keySpec,
    KeyUsage: record.keyUsage,
    ...algorithms,
  };
}

export async function sign(
  ctx: EngineContext,
  input: SignRequest,
  options: KmsCallOptions | undefined,
): Promise<SignResponse> {
  const req = await prepareSignature(ctx, 'Sign', input, options);
  const signature = await ctx.keyCrypto.sign(req.keyId, req.material, req.algorithm, req.messageType, req.message);
  return { KeyId: req.arn, Signature: Uint8Array.from(signature), SigningAlgorithm: req.algorithm };
}

/** A signature that does not verify throws KMSInvalidSignatureException with an empty message. */
export async function verify(
  ctx: EngineContext,
  input: VerifyRequest,
  options: KmsCallOptions | undefined,
): Promise<VerifyResponse> {
  const req = await prepareSignature(ctx, 'Verify', input, options);
  const valid = await ctx.keyCrypto.verify(
    req.keyId,
    req.material,
    req.algorithm,
    req.messageType,
    req.message,
    req.signature as Uint8Array,
  );
  if (!valid) throw invalidSignature();
  return { KeyId: req.arn, SignatureValid: true, SigningAlgorithm: req.algorithm };
}

/** Sign and Verify alike, up to the cryptography. */
async function prepareSignature(
  ctx: EngineContext,
  operation: 'Sign' | 'Verify',
  input: SignRequest | VerifyRequest,
  options: KmsCallOptions | undefined,
) {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  // Copied now: the caller may reuse its buffers while this call is in flight.
  const message = Uint8Array.from(r.blob('Message', DATA_RULE) ?? []);
  const messageType = r.enumValue('MessageType', MESSAGE_TYPES) ?? 'RAW';
  const signatureInput = operation === 'Verify' ? r.blob('Signature', OUTPUT_BLOB_RULE) : undefined;
  const signature = signatureInput === undefined ? undefined : Uint8Array.from(signatureInput);
  const algorithm = r.enumValue('SigningAlgorithm', ALL_SIGNING_ALGORITHMS, true);
  const grantTokens = readGrantTokens(r);
  const dryRun = r.boolean('DryRun');
  r.done();
  if (algorithm === undefined) throw internal('SigningAlgorithm passed validation without a value.');

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor(operation, keyId, grantTokens);
  checkSigningKey(record, arn, operation, algorithm);
  checkMessageType(algorithm, messageType, message.length);
  // DryRun checks what the service checks before the cryptography (input, key, state, usage), then stops.
  if (dryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  return { keyId: record.keyId, arn, material, algorithm, messageType, message, signature };
}
