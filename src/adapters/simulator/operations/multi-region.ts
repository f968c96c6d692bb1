import type {
  KmsCallOptions,
  ReplicateKeyRequest,
  ReplicateKeyResponse,
  UpdatePrimaryRegionRequest,
} from '../../../ports/kms.port.js';
import { readRequest } from '../../kms-model/request-reader.js';
import type { EngineContext } from '../engine-context.js';
import { keyNotFound } from '../model/exceptions.js';
import { toKeyMetadata } from '../model/key-metadata.js';
import { REPLICA_CREATION_MS, checkPrimaryKey, checkTargetRegion, replicaExists } from '../rules/multi-region-rules.js';
import { checkPolicy, defaultKeyPolicy } from '../rules/policy-rules.js';
import { checkTagsToSet, setTags } from '../rules/tag-rules.js';
import type { KeyMaterial, KeyMaterialEntry, KeyRecord } from '../store/simulator-store.js';
import { type MaterialCopy, arnIn, liveKeyIn, liveReplicaRegions, multiRegionConfiguration, takeMaterials } from './multi-region-view.js';

/**
 * Multi-Region keys (docs/kms-behaviour.md §25): ReplicateKey and UpdatePrimaryRegion. The keys of one multi-Region
 * key live in the stores of several Regions (one SimulatedKms each, reached through the account's
 * SimulatorRegions), so one operation is several transactions, one per Region, ordered so that a failure never
 * leaves a replica its primary does not list: the primary lists the new Region first, the replica is written
 * second, and a failed second write takes the Region off the list again. A listed Region without the key (a replica
 * deleted since, or one whose write failed) is simply not a replica: every reader checks.
 */

export async function replicateKey(
  ctx: EngineContext,
  input: ReplicateKeyRequest,
  options: KmsCallOptions | undefined,
): Promise<ReplicateKeyResponse> {
  options?.abortSignal?.throwIfAborted();
  const { KeyId, ReplicaRegion: region, Policy: policy, Description: description, Tags: tags = [], ...request } = readRequest('replicateKey', input);
  checkTargetRegion('ReplicaRegion', region, ctx.arns.region);
  const caller = { partition: ctx.arns.partition, accountId: ctx.accountId, keyArn: arnIn(ctx, region, '*') };
  if (policy !== undefined) checkPolicy(policy, caller, request.BypassPolicyLockoutSafetyCheck);
  checkTagsToSet(tags);
  const tagged = setTags([], 1, tags);
  const replicaSide = ctx.regions.registry.member(region).engine;

  // 1. The primary's Region: the checks, and the new Region on the primary's list.
  const { primary, material, later } = await ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('ReplicateKey', KeyId);
    checkPrimaryKey(record, arn, tx.arns.region);
    const replicaArn = arnIn(tx, region, record.keyId);
    // A replica there, in any state but deleted (one past its DeletionDate is about to be purged there).
    if ((await liveKeyIn(tx, region, record.keyId)) !== undefined) throw replicaExists(replicaArn);
    const listed = record.multiRegion?.replicaRegions ?? [];
    const updated: KeyRecord = listed.includes(region)
      ? record
      : { ...record, multiRegion: { primaryRegion: tx.arns.region, replicaRegions: [...listed, region] } };
    if (updated !== record) await tx.store.updateKey(updated);
    // The key's materials, the original first: a rotated key's earlier materials decrypt in the replica too.
    const entries = record.keyMaterials ?? [];
    const current: KeyMaterial | undefined = await tx.store.getKeyMaterial(record.keyId);
    const first = entries.length > 1 ? await tx.store.getKeyMaterial(record.keyId, (entries[0] as KeyMaterialEntry).keyMaterialId) : current;
    const rest: MaterialCopy[] = [];
    for (const entry of entries.slice(1)) {
      const m = entry.keyMaterialId === record.currentKeyMaterialId ? current : await tx.store.getKeyMaterial(record.keyId, entry.keyMaterialId);
      if (m !== undefined) rest.push({ entry, secret: m.secret });
    }
    return { primary: updated, material: first, later: rest };
  });

  // 2. The replica's Region: the same key ID, material and shared properties; its own policy, description, tags.
  const now = ctx.now();
  // Imported material is not copied: the replica waits for the same material (§24).
  const copied = primary.origin === 'EXTERNAL' ? undefined : material;
  const replica: KeyRecord = {
    keyId: primary.keyId,
    creationDate: now,
    description: description ?? '',
    policy: policy ?? defaultKeyPolicy(ctx.arns.partition, ctx.accountId),
    keySpec: primary.keySpec,
    keyUsage: primary.keyUsage,
    origin: primary.origin,
    keyState: 'Creating',
    ...(primary.currentKeyMaterialId === undefined || copied === undefined
      ? {}
      : { currentKeyMaterialId: primary.keyMaterials?.[0]?.keyMaterialId ?? primary.currentKeyMaterialId }),
    tags: tagged.tags,
    nextTagSeq: tagged.nextTagSeq,
    ...(primary.imported === undefined ? {} : { imported: { materialId: primary.imported.materialId } }),
    multiRegion: { primaryRegion: ctx.arns.region, readyAt: new Date(now.getTime() + REPLICA_CREATION_MS) },
  };
  let made = replica;
  try {
    made = await replicaSide.write(options, async (tx) => {
      if ((await tx.store.getKey(replica.keyId)) !== undefined) throw replicaExists(arnIn(ctx, region, replica.keyId));
      await tx.store.insertKey(replica, copied);
      return copied === undefined ? replica : takeMaterials(tx, replica, later);
    });
  } catch (error) {
    await unlist(ctx, primary.keyId, region).catch(() => undefined); // the replica does not exist: not a replica
    throw error;
  }
  const configuration = await multiRegionConfiguration(replicaSide, made);
  return {
    ReplicaKeyMetadata: toKeyMetadata(made, ctx.accountId, arnIn(ctx, region, replica.keyId), configuration),
    ReplicaPolicy: replica.policy,
    ReplicaTags: replica.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })),
  };
}

/**
 * The replica in PrimaryRegion becomes the primary, the primary a replica (AWS's transient Updating state is
 * instantaneous here). Three steps, each one Region's transaction: the old primary becomes a replica of the new
 * Region, the new primary takes over the list of replicas (a failure there puts the old primary back), then every
 * other replica points to the new primary (readers follow one stale pointer meanwhile).
 */
export async function updatePrimaryRegion(
  ctx: EngineContext,
  input: UpdatePrimaryRegionRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  options?.abortSignal?.throwIfAborted();
  const { KeyId, PrimaryRegion: region } = readRequest('updatePrimaryRegion', input);
  checkTargetRegion('PrimaryRegion', region, ctx.arns.region);
  const newSide = ctx.regions.registry.member(region).engine;
  // The replica has every key material of the primary before it takes over (a lookup there catches up, §25).
  const { record: found } = await ctx.keyFor('DescribeKey', KeyId);
  await newSide.beforeRead(options);
  await newSide.keyFor('DescribeKey', found.keyId).catch(() => undefined); // absent: step 1 says so

  // 1. The old primary: checked, then a replica of the new primary (the rotation setting goes with the primary).
  const { old, replicas } = await ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('UpdatePrimaryRegion', KeyId);
    checkPrimaryKey(record, arn, tx.arns.region);
    const live = await liveReplicaRegions(tx, record);
    if (!live.includes(region)) throw keyNotFound(arnIn(tx, region, record.keyId));
    const { rotation: _moved, ...replica } = record;
    await tx.store.updateKey({ ...replica, multiRegion: { primaryRegion: region } });
    return { old: record, replicas: live };
  });

  // 2. The new primary: Enabled, and from now on the holder of the list (the old primary first).
  const list = [ctx.arns.region, ...replicas.filter((r) => r !== region)];
  try {
    await newSide.write(options, async (tx) => {
      const { record, arn } = await tx.keyFor('UpdatePrimaryRegion', old.keyId);
      if (record.multiRegion?.primaryRegion !== ctx.arns.region) throw keyNotFound(arn);
      const rotation = old.rotation === undefined ? {} : { rotation: old.rotation };
      await tx.store.updateKey({ ...record, ...rotation, multiRegion: { primaryRegion: region, replicaRegions: list } });
    });
  } catch (error) {
    await ctx.write(undefined, async (tx) => {
      const current = await tx.store.getKey(old.keyId);
      if (current !== undefined) await tx.store.updateKey({ ...current, ...(old.rotation === undefined ? {} : { rotation: old.rotation }), multiRegion: old.multiRegion as NonNullable<KeyRecord['multiRegion']> });
    }).catch(() => undefined);
    throw error;
  }

  // 3. The other replicas: their primary is in `region` now.
  for (const other of list.slice(1)) {
    await ctx.regions.registry.member(other).engine.write(undefined, async (tx) => {
      const record = await tx.store.getKey(old.keyId);
      if (record?.multiRegion === undefined) return;
      await tx.store.updateKey({ ...record, multiRegion: { ...record.multiRegion, primaryRegion: region } });
    });
  }
}

/** Takes `region` off the primary's list of replica Regions (a replica write that failed). */
async function unlist(ctx: EngineContext, keyId: string, region: string): Promise<void> {
  await ctx.write(undefined, async (tx) => {
    const record = await tx.store.getKey(keyId);
    const listed = record?.multiRegion?.replicaRegions;
    if (record === undefined || listed === undefined || !listed.includes(region)) return;
    const replicaRegions = listed.filter((r) => r !== region);
    await tx.store.updateKey({ ...record, multiRegion: { ...record.multiRegion, primaryRegion: ctx.arns.region, replicaRegions } });
  });
}
