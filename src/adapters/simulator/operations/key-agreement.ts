import type {
  DecapsulateRequest,
  DecapsulateResponse,
  DeriveSharedSecretRequest,
  DeriveSharedSecretResponse,
  EncapsulateRequest,
  EncapsulateResponse,
  KmsCallOptions,
} from '../../../ports/kms.port.js';
import type { EngineContext } from '../engine-context.js';
import { readRequest } from '../../kms-model/request-reader.js';
import { ecdhSharedSecret } from '../crypto/key-agreement.js';
import { mlKemDecapsulate, mlKemEncapsulate } from '../crypto/key-encapsulation.js';
import { dryRun as dryRunException } from '../model/exceptions.js';
import {
  checkCiphertextLength,
  checkEncapsulationKey,
  checkKeyAgreementKey,
  checkPeerPublicKey,
} from '../rules/key-agreement-rules.js';

/**
 * Establishing shared secrets with asymmetric keys (docs/kms-behaviour.md §18, §19): DeriveSharedSecret (ECDH with
 * a KEY_AGREEMENT key and the peer's public key), Encapsulate and Decapsulate (ML-KEM). Each is a read: input
 * shape, key (any KeyId form), grant tokens, Enabled state, usage, algorithm, the operation's own input check,
 * then DryRun, then the cryptography.
 */

export async function deriveSharedSecret(
  ctx: EngineContext,
  input: DeriveSharedSecretRequest,
  options: KmsCallOptions | undefined,
): Promise<DeriveSharedSecretResponse> {
  const request = readRequest('deriveSharedSecret', input);
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('DeriveSharedSecret', request.KeyId, request.GrantTokens ?? []);
  checkKeyAgreementKey(record, arn, request.KeyAgreementAlgorithm);
  const peer = checkPeerPublicKey(record, request.PublicKey);
  if (request.DryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  return {
    KeyId: arn,
    SharedSecret: ecdhSharedSecret(material, peer),
    KeyAgreementAlgorithm: request.KeyAgreementAlgorithm,
    KeyOrigin: record.origin,
  };
}

export async function encapsulate(
  ctx: EngineContext,
  input: EncapsulateRequest,
  options: KmsCallOptions | undefined,
): Promise<EncapsulateResponse> {
  const request = readRequest('encapsulate', input);
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('Encapsulate', request.KeyId, request.GrantTokens ?? []);
  const spec = checkEncapsulationKey(record, arn, 'Encapsulate', request.EncapsulationAlgorithm);
  if (request.DryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  const random = ctx.crypto.getRandomValues(new Uint8Array(32));
  const { sharedSecret, ciphertext } = mlKemEncapsulate(spec, material, random);
  random.fill(0);
  return {
    KeyId: arn,
    SharedSecret: sharedSecret,
    SharedSecretCiphertextBlob: ciphertext,
    EncapsulationAlgorithm: request.EncapsulationAlgorithm,
  };
}

/** A ciphertext of the right length always yields 32 bytes (implicit rejection); any other length is refused. */
export async function decapsulate(
  ctx: EngineContext,
  input: DecapsulateRequest,
  options: KmsCallOptions | undefined,
): Promise<DecapsulateResponse> {
  const request = readRequest('decapsulate', input);
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('Decapsulate', request.KeyId, request.GrantTokens ?? []);
  const spec = checkEncapsulationKey(record, arn, 'Decapsulate', request.EncapsulationAlgorithm);
  checkCiphertextLength(spec, request.SharedSecretCiphertextBlob);
  if (request.DryRun === true) throw dryRunException();
  const material = await ctx.material(record.keyId);
  return {
    KeyId: arn,
    SharedSecret: mlKemDecapsulate(spec, material, request.SharedSecretCiphertextBlob),
    EncapsulationAlgorithm: request.EncapsulationAlgorithm,
  };
}
