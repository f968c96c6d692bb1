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
import { type RequestOf, readRequest } from '../../kms-model/request-reader.js';
import { dryRun as dryRunException, invalidSignature, unsupported } from '../model/exceptions.js';
import { algorithmsOf } from '../model/key-metadata.js';
import { KEY_SPEC_RULES } from '../model/key-spec-table.js';
import { checkMessageType, checkSigningKey } from '../rules/signing-rules.js';

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
  const { KeyId, GrantTokens = [] } = readRequest('getPublicKey', input);

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('GetPublicKey', KeyId, GrantTokens);
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
  const req = await prepareSignature(ctx, 'Sign', readRequest('sign', input), options);
  // A fresh array, shared with nothing (KeyCrypto.sign): no second copy on the hot path.
  const signature = await ctx.keyCrypto.sign(req.keyId, req.material, req.algorithm, req.messageType, req.message);
  return { KeyId: req.arn, Signature: signature, SigningAlgorithm: req.algorithm };
}

/** A signature that does not verify throws KMSInvalidSignatureException with an empty message. */
export async function verify(
  ctx: EngineContext,
  input: VerifyRequest,
  options: KmsCallOptions | undefined,
): Promise<VerifyResponse> {
  const request = readRequest('verify', input);
  const req = await prepareSignature(ctx, 'Verify', request, options);
  const valid = await ctx.keyCrypto.verify(
    req.keyId,
    req.material,
    req.algorithm,
    req.messageType,
    req.message,
    request.Signature,
  );
  if (!valid) throw invalidSignature();
  return { KeyId: req.arn, SignatureValid: true, SigningAlgorithm: req.algorithm };
}

/** Sign and Verify alike, from the checked request (blobs already copied) up to the cryptography. */
async function prepareSignature(
  ctx: EngineContext,
  operation: 'Sign' | 'Verify',
  request: RequestOf<'sign'>,
  options: KmsCallOptions | undefined,
) {
  const { KeyId, Message: message, MessageType: messageType = 'RAW', SigningAlgorithm: algorithm } = request;
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor(operation, KeyId, request.GrantTokens ?? []);
  checkSigningKey(record, arn, operation, algorithm);
  checkMessageType(algorithm, messageType, message.length);
  // DryRun checks what the service checks before the cryptography (input, key, state, usage), then stops.
  if (request.DryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  return { keyId: record.keyId, arn, material, algorithm, messageType, message };
}
