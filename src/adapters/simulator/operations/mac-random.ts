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
import { dryRun as dryRunException, internal, invalidMac, validationException } from '../model/exceptions.js';
import { ALL_MAC_ALGORITHMS } from '../model/key-spec-table.js';
import { checkMacKey } from '../rules/key-usage-rules.js';
import { InputReader } from '../validation.js';
import { DATA_RULE, KEY_ID_RULE, OUTPUT_BLOB_RULE, readGrantTokens } from './request-members.js';

/** HMAC and random bytes (docs/kms-behaviour.md §7, §9): GenerateMac, VerifyMac, GenerateRandom. */

/** HMAC (RFC 2104) with an HMAC key whose spec matches MacAlgorithm. */
export async function generateMac(
  ctx: EngineContext,
  input: GenerateMacRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateMacResponse> {
  const req = await prepareMac(ctx, 'GenerateMac', input, options);
  return { Mac: computeMac(req.algorithm, req.secret, req.message), MacAlgorithm: req.algorithm, KeyId: req.arn };
}

/** A MAC that does not verify throws KMSInvalidMacException with an empty message. */
export async function verifyMac(
  ctx: EngineContext,
  input: VerifyMacRequest,
  options: KmsCallOptions | undefined,
): Promise<VerifyMacResponse> {
  const req = await prepareMac(ctx, 'VerifyMac', input, options);
  if (!macEquals(computeMac(req.algorithm, req.secret, req.message), req.mac as Uint8Array)) throw invalidMac();
  return { KeyId: req.arn, MacValid: true, MacAlgorithm: req.algorithm };
}

/** Random bytes from the engine's WebCrypto; no key, so no store access and no purge. */
export async function generateRandom(
  ctx: EngineContext,
  input: GenerateRandomRequest,
  options: KmsCallOptions | undefined,
): Promise<GenerateRandomResponse> {
  options?.abortSignal?.throwIfAborted();
  const r = new InputReader(input);
  const n = r.integer('NumberOfBytes', { min: 1, max: 1024 });
  r.done();

  if (n === undefined) throw validationException('NumberOfBytes is required.');
  return { Plaintext: ctx.crypto.getRandomValues(new Uint8Array(n)) };
}

/** GenerateMac and VerifyMac alike, up to the cryptography. */
async function prepareMac(
  ctx: EngineContext,
  operation: 'GenerateMac' | 'VerifyMac',
  input: GenerateMacRequest | VerifyMacRequest,
  options: KmsCallOptions | undefined,
) {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  const message = Uint8Array.from(r.blob('Message', DATA_RULE) ?? []);
  const macInput = operation === 'VerifyMac' ? r.blob('Mac', OUTPUT_BLOB_RULE) : undefined;
  const mac = macInput === undefined ? undefined : Uint8Array.from(macInput);
  const algorithm = r.enumValue('MacAlgorithm', ALL_MAC_ALGORITHMS, true);
  const grantTokens = readGrantTokens(r);
  const dryRun = r.boolean('DryRun');
  r.done();
  if (algorithm === undefined) throw internal('MacAlgorithm passed validation without a value.');

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor(operation, keyId, grantTokens);
  checkMacKey(record, arn, operation, algorithm);
  // As Sign/Verify: DryRun stops before the cryptography.
  if (dryRun === true) throw dryRunException();
  const { secret } = await ctx.material(record.keyId);
  return { arn, algorithm, message, mac, secret };
}
