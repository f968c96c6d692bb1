import type {
  GenerateMacRequest,
  GenerateMacResponse,
  GenerateRandomRequest,
  GenerateRandomResponse,
  KmsCallOptions,
  VerifyMacRequest,
  VerifyMacResponse,
} from '../../../ports/kms.port.js';
import { computeMac, macEquals } from '../crypto/hmac.js';
import type { EngineContext } from '../engine-context.js';
import { type RequestOf, readRequest } from '../../kms-model/request-reader.js';
import { dryRun as dryRunException, invalidMac, validationException } from '../model/exceptions.js';
import { checkMacKey } from '../rules/key-usage-rules.js';

/** HMAC and random bytes (docs/kms-behaviour.md §7, §9): GenerateMac, VerifyMac, GenerateRandom. */

/** HMAC (RFC 2104) with an HMAC key whose spec matches MacAlgorithm. */
export async function generateMac(
  ctx: EngineContext,
  input: GenerateMacRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateMacResponse> {
  const req = await prepareMac(ctx, 'GenerateMac', readRequest('generateMac', input), options);
  return { Mac: computeMac(req.algorithm, req.secret, req.message), MacAlgorithm: req.algorithm, KeyId: req.arn };
}

/** A MAC that does not verify throws KMSInvalidMacException with an empty message. */
export async function verifyMac(
  ctx: EngineContext,
  input: VerifyMacRequest,
  options: KmsCallOptions | undefined,
): Promise<VerifyMacResponse> {
  const request = readRequest('verifyMac', input);
  const req = await prepareMac(ctx, 'VerifyMac', request, options);
  if (!macEquals(computeMac(req.algorithm, req.secret, req.message), request.Mac)) throw invalidMac();
  return { KeyId: req.arn, MacValid: true, MacAlgorithm: req.algorithm };
}

/** Random bytes from the engine's WebCrypto; no key, so no store access and no purge. */
export async function generateRandom(
  ctx: EngineContext,
  input: GenerateRandomRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateRandomResponse> {
  options?.abortSignal?.throwIfAborted();
  const { NumberOfBytes: n } = readRequest('generateRandom', input);

  if (n === undefined) throw validationException('NumberOfBytes is required.');
  return { Plaintext: ctx.crypto.getRandomValues(new Uint8Array(n)) };
}

/** GenerateMac and VerifyMac alike, from the checked request (blobs already copied) up to the cryptography. */
async function prepareMac(
  ctx: EngineContext,
  operation: 'GenerateMac' | 'VerifyMac',
  request: RequestOf<'generateMac'>,
  options: KmsCallOptions | undefined,
) {
  const { KeyId, Message: message, MacAlgorithm: algorithm } = request;
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor(operation, KeyId, request.GrantTokens ?? []);
  checkMacKey(record, arn, operation, algorithm);
  // As Sign/Verify: DryRun stops before the cryptography.
  if (request.DryRun === true) throw dryRunException();
  const { secret } = await ctx.material(record.keyId);
  return { arn, algorithm, message, secret };
}
