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
import { DEFAULT_PAGE_SIZE, cutPage, pageTail } from '../model/pagination.js';
import { checkCreatable, keySpecAndUsage } from '../rules/key-creation-rules.js';
import { keyStorePlacement } from '../rules/custom-key-store-rules.js';
import { keyStoreMembers } from './custom-key-store-keys.js';
import { liveReplicaRegions, multiRegionConfiguration } from './multi-region-view.js';
import { checkMultiRegionOrigin } from '../rules/multi-region-rules.js';
import { checkPolicy, defaultKeyPolicy } from '../rules/policy-rules.js';
import { checkTagsToSet, setTags } from '../rules/tag-rules.js';
import type { KeyRecord } from '../store/simulator-store.js';
import { readRequest } from '../../kms-model/request-reader.js';

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
  const { Policy: policy, Description: description, Tags: tags = [], ...request } = readRequest('createKey', input);

  const { spec, usage } = keySpecAndUsage(request.KeySpec, request.CustomerMasterKeySpec, request.KeyUsage);
  const placement = keyStorePlacement(request, spec, usage);
  checkMultiRegionOrigin(request.MultiRegion, request.Origin);
  checkCreatable(spec, placement === undefined ? request.Origin : undefined);
  // The new key's ARN is not known yet: Resource is matched against the ARN of any key of the account.
  const caller = { partition: ctx.arns.partition, accountId: ctx.accountId, keyArn: ctx.arns.keyArn('*') };
  if (policy !== undefined) checkPolicy(policy, caller, request.BypassPolicyLockoutSafetyCheck);
  checkTagsToSet(tags);
  const tagged = setTags([], 1, tags);

  // Key generation (async crypto) happens before the transaction opens. Origin EXTERNAL: no material (§24).
  const external = request.Origin === 'EXTERNAL';
  const material = external ? undefined : await generateKeyMaterial(spec, ctx.crypto);
  const now = ctx.now();
  // A multi-Region key (§25): `mrk-` and 32 lowercase hex digits, the primary in this Region, no replica yet.
  const multiRegion = request.MultiRegion === true;
  const record: KeyRecord = {
    keyId: multiRegion ? `mrk-${toHex(ctx.crypto.getRandomValues(new Uint8Array(16)))}` : ctx.crypto.randomUUID(),
    creationDate: now,
    description: description ?? '',
    policy: policy ?? defaultKeyPolicy(ctx.arns.partition, ctx.accountId),
    keySpec: spec,
    keyUsage: usage,
    origin: external ? 'EXTERNAL' : 'AWS_KMS',
    keyState: external ? 'PendingImport' : 'Enabled',
    ...(spec === 'SYMMETRIC_DEFAULT' && !external ? { currentKeyMaterialId: toHex(ctx.crypto.getRandomValues(new Uint8Array(32))) } : {}),
    tags: tagged.tags,
    nextTagSeq: tagged.nextTagSeq,
    ...(multiRegion ? { multiRegion: { primaryRegion: ctx.arns.region, replicaRegions: [] } } : {}),
  };
  const placed = await ctx.write(options, async (tx) => {
    const inStore = placement === undefined ? record : { ...record, ...(await keyStoreMembers(tx.store, placement)) };
    await tx.store.insertKey(inStore, material);
    return inStore;
  });
  const configuration = await multiRegionConfiguration(ctx, placed);
  return { KeyMetadata: toKeyMetadata(placed, ctx.accountId, ctx.arns.keyArn(record.keyId), configuration) };
}

export async function describeKey(
  ctx: EngineContext,
  input: DescribeKeyRequest,
  options: KmsCallOptions | undefined,
): Promise<DescribeKeyResponse> {
  const { KeyId } = readRequest('describeKey', input);

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('DescribeKey', KeyId);
  return { KeyMetadata: toKeyMetadata(record, ctx.accountId, arn, await multiRegionConfiguration(ctx, record)) };
}

export async function listKeys(
  ctx: EngineContext,
  input: ListKeysRequest,
  options: KmsCallOptions | undefined,
): Promise<ListKeysResponse> {
  const { Limit: limit = DEFAULT_PAGE_SIZE.ListKeys, Marker: marker } = readRequest('listKeys', input);

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
  const { KeyId } = readRequest(enabled ? 'enableKey' : 'disableKey', input);

  await ctx.write(options, async (tx) => {
    const { record } = await tx.keyFor(enabled ? 'EnableKey' : 'DisableKey', KeyId);
    const keyState = enabled ? 'Enabled' : 'Disabled';
    if (record.keyState !== keyState) await tx.store.updateKey({ ...record, keyState });
  });
}

export async function scheduleKeyDeletion(
  ctx: EngineContext,
  input: ScheduleKeyDeletionRequest,
  options: KmsCallOptions | undefined,
): Promise<ScheduleKeyDeletionResponse> {
  // The model allows 1–365; the service enforces 7–30 (LocalStack's text for it).
  const { KeyId: keyId, PendingWindowInDays: days = 30 } = readRequest('scheduleKeyDeletion', input);

  if (days < 7 || days > 30) {
    throw validationException(`PendingWindowInDays should be between 7 and 30, but it is ${days}`);
  }
  return ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('ScheduleKeyDeletion', keyId);
    // A multi-Region primary with replicas waits for them: its waiting period starts when the last is gone (§25).
    if (record.multiRegion?.primaryRegion === tx.arns.region && (await liveReplicaRegions(tx, record)).length > 0) {
      const multiRegion = { ...record.multiRegion, pendingWindowInDays: days };
      await tx.store.updateKey({ ...record, keyState: 'PendingReplicaDeletion', multiRegion });
      return { KeyId: arn, KeyState: 'PendingReplicaDeletion', PendingWindowInDays: days };
    }
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

/** Back to Disabled (an EXTERNAL key without material: PendingImport), without a DeletionDate. */
export async function cancelKeyDeletion(
  ctx: EngineContext,
  input: KeyIdRequest,
  options: KmsCallOptions | undefined,
): Promise<CancelKeyDeletionResponse> {
  const { KeyId } = readRequest('cancelKeyDeletion', input);

  return ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('CancelKeyDeletion', KeyId);
    const { deletionDate: _removed, ...rest } = record;
    if (rest.multiRegion?.pendingWindowInDays !== undefined) {
      const { pendingWindowInDays: _window, ...multiRegion } = rest.multiRegion;
      Object.assign(rest, { multiRegion });
    }
    // A key of Origin EXTERNAL without material goes back to PendingImport (§24).
    const material = record.origin !== 'EXTERNAL' || record.imported?.expirationModel !== undefined;
    await tx.store.updateKey({ ...rest, keyState: material ? 'Disabled' : 'PendingImport' });
    return { KeyId: arn };
  });
}
