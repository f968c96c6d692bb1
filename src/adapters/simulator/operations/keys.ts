import type {
  CancelKeyDeletionResponse,
  CreateKeyRequest,
  CreateKeyResponse,
  DescribeKeyRequest,
  DescribeKeyResponse,
  KeyIdRequest,
  KmsCallOptions,
  ListKeysRequest,
  ListKeysResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
} from '../../../ports/kms.port.js';
import { toHex } from '../../../codec/bytes.js';
import { generateKeyMaterial } from '../crypto/key-generation.js';
import type { EngineContext } from '../engine-context.js';
import { validationException } from '../model/exceptions.js';
import { toKeyMetadata } from '../model/key-metadata.js';
import { ALL_KEY_USAGES } from '../model/key-spec-table.js';
import { PAGE_LIMITS, cutPage, pageTail } from '../model/pagination.js';
import { checkCreatable, keySpecAndUsage } from '../rules/key-creation-rules.js';
import { checkPolicy, defaultKeyPolicy } from '../rules/policy-rules.js';
import { checkTagsToSet, setTags } from '../rules/tag-rules.js';
import type { KeyRecord } from '../store/simulator-store.js';
import { InputReader } from '../validation.js';
import {
  CUSTOMER_MASTER_KEY_SPECS,
  DESCRIPTION_RULE,
  KEY_ID_RULE,
  KEY_SPECS,
  ORIGINS,
  POLICY_RULE,
  readGrantTokens,
  readKeyIdOnly,
  readPaging,
} from './request-members.js';

/**
 * Key operations (docs/kms-behaviour.md §3, §4, §6): CreateKey, DescribeKey, ListKeys, EnableKey/DisableKey,
 * ScheduleKeyDeletion/CancelKeyDeletion.
 */

const DAY_MS = 86_400_000;

export async function createKey(
  ctx: EngineContext,
  input: CreateKeyRequest,
  options: KmsCallOptions | undefined,
): Promise<CreateKeyResponse> {
  options?.abortSignal?.throwIfAborted();
  const r = new InputReader(input);
  const policy = r.string('Policy', POLICY_RULE);
  const description = r.string('Description', DESCRIPTION_RULE);
  const keyUsage = r.enumValue('KeyUsage', ALL_KEY_USAGES);
  const keySpec = r.enumValue('KeySpec', KEY_SPECS);
  const customerMasterKeySpec = r.enumValue('CustomerMasterKeySpec', CUSTOMER_MASTER_KEY_SPECS);
  const origin = r.enumValue('Origin', ORIGINS);
  r.boolean('BypassPolicyLockoutSafetyCheck');
  const tags = r.tags('Tags') ?? [];
  const multiRegion = r.boolean('MultiRegion');
  r.done();

  const { spec, usage } = keySpecAndUsage(keySpec, customerMasterKeySpec, keyUsage);
  checkCreatable(spec, origin, multiRegion);
  if (policy !== undefined) checkPolicy(policy);
  checkTagsToSet(tags);
  const tagged = setTags([], 1, tags);

  // Key generation (async crypto) happens before the transaction opens.
  const material = await generateKeyMaterial(spec, ctx.crypto);
  const now = ctx.now();
  const record: KeyRecord = {
    keyId: ctx.crypto.randomUUID(),
    creationDate: now,
    description: description ?? '',
    policy: policy ?? defaultKeyPolicy(ctx.arns.partition, ctx.accountId),
    keySpec: spec,
    keyUsage: usage,
    origin: 'AWS_KMS',
    keyState: 'Enabled',
    ...(spec === 'SYMMETRIC_DEFAULT' ? { currentKeyMaterialId: toHex(ctx.crypto.getRandomValues(new Uint8Array(32))) } : {}),
    tags: tagged.tags,
    nextTagSeq: tagged.nextTagSeq,
  };
  await ctx.write(options, (tx) => tx.store.insertKey(record, material));
  return { KeyMetadata: toKeyMetadata(record, ctx.accountId, ctx.arns.keyArn(record.keyId)) };
}

export async function describeKey(
  ctx: EngineContext,
  input: DescribeKeyRequest,
  options: KmsCallOptions | undefined,
): Promise<DescribeKeyResponse> {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  readGrantTokens(r);
  r.done();

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('DescribeKey', keyId);
  return { KeyMetadata: toKeyMetadata(record, ctx.accountId, arn) };
}

export async function listKeys(
  ctx: EngineContext,
  input: ListKeysRequest,
  options: KmsCallOptions | undefined,
): Promise<ListKeysResponse> {
  const r = new InputReader(input);
  const { limit, marker } = readPaging(r, PAGE_LIMITS.ListKeys);
  r.done();

  await ctx.beforeRead(options);
  const scope = 'ListKeys';
  const after = marker === undefined ? undefined : ctx.markers.decode(scope, marker);
  const fetched = await ctx.store.listKeys({ ...(after === undefined ? {} : { after }), limit: limit + 1 });
  const page = cutPage(fetched, limit, (last) => ctx.markers.encode(scope, last.keyId));
  return {
    Keys: page.items.map((k) => ({ KeyId: k.keyId, KeyArn: ctx.arns.keyArn(k.keyId) })),
    ...pageTail(page),
  };
}

/** EnableKey and DisableKey: refused while pending deletion (or import); a no-op when already in that state. */
export async function setKeyEnabled(
  ctx: EngineContext,
  input: KeyIdRequest,
  enabled: boolean,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const keyId = readKeyIdOnly(input);

  await ctx.write(options, async (tx) => {
    const { record } = await tx.keyFor(enabled ? 'EnableKey' : 'DisableKey', keyId);
    const keyState = enabled ? 'Enabled' : 'Disabled';
    if (record.keyState !== keyState) await tx.store.updateKey({ ...record, keyState });
  });
}

export async function scheduleKeyDeletion(
  ctx: EngineContext,
  input: ScheduleKeyDeletionRequest,
  options: KmsCallOptions | undefined,
): Promise<ScheduleKeyDeletionResponse> {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  // The model allows 1–365; the service enforces 7–30 (LocalStack's text for it).
  const days = r.integer('PendingWindowInDays', { min: 1, max: 365 }) ?? 30;
  r.done();

  if (days < 7 || days > 30) {
    throw validationException(`PendingWindowInDays should be between 7 and 30, but it is ${days}`);
  }
  return ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('ScheduleKeyDeletion', keyId);
    const deletionDate = new Date(tx.now().getTime() + days * DAY_MS);
    await tx.store.updateKey({ ...record, keyState: 'PendingDeletion', deletionDate });
    return {
      KeyId: arn,
      DeletionDate: new Date(deletionDate.getTime()),
      KeyState: 'PendingDeletion',
      PendingWindowInDays: days,
    };
  });
}

/** Back to Disabled, without a DeletionDate. */
export async function cancelKeyDeletion(
  ctx: EngineContext,
  input: KeyIdRequest,
  options: KmsCallOptions | undefined,
): Promise<CancelKeyDeletionResponse> {
  const keyId = readKeyIdOnly(input);

  return ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('CancelKeyDeletion', keyId);
    const { deletionDate: _removed, ...rest } = record;
    await tx.store.updateKey({ ...rest, keyState: 'Disabled' });
    return { KeyId: arn };
  });
}
