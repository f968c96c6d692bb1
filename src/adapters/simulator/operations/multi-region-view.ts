import type { MultiRegionConfiguration, MultiRegionKey } from '../../../ports/kms.port.js';
import type { EngineContext, ResolvedKey, TransactionContext } from '../engine-context.js';
import { createdView } from '../rules/multi-region-rules.js';
import type { KeyRecord, SimulatorStoreReader } from '../store/simulator-store.js';

/**
 * What a multi-Region key is now (docs/kms-behaviour.md §25), read across the Regions of the account: its
 * MultiRegionConfiguration (the primary's list of replica Regions, without the replicas deleted since), and the
 * states the clock or the other Regions settle lazily — a replica's Creating ends at its `readyAt`; a primary
 * PendingReplicaDeletion becomes PendingDeletion (its waiting period starting) once no replica is left.
 */

const DAY_MS = 86_400_000;

/** The key ARN of `keyId` in another Region of the same account. */
export function arnIn(ctx: EngineContext, region: string, keyId: string): string {
  return `arn:${ctx.arns.partition}:kms:${region}:${ctx.accountId}:key/${keyId}`;
}

/** The store of a Region of the account: this engine's own, or a sibling's. */
export function storeOf(ctx: EngineContext, region: string): SimulatorStoreReader {
  return region === ctx.arns.region ? ctx.store : ctx.regions.registry.member(region).engine.store;
}

/** The key in `region`, unless it is gone (deleted, or past its DeletionDate and about to be purged there). */
export async function liveKeyIn(ctx: EngineContext, region: string, keyId: string): Promise<KeyRecord | undefined> {
  const record = await storeOf(ctx, region).getKey(keyId);
  if (record === undefined) return undefined;
  const due = record.keyState === 'PendingDeletion' && record.deletionDate !== undefined && record.deletionDate.getTime() <= ctx.now().getTime();
  return due ? undefined : record;
}

/** The primary's Region and record, following one stale pointer (a primary Region just updated elsewhere). */
export async function primaryOf(ctx: EngineContext, record: KeyRecord): Promise<{ region: string; record: KeyRecord | undefined }> {
  let region = (record.multiRegion as NonNullable<KeyRecord['multiRegion']>).primaryRegion;
  let primary = region === ctx.arns.region ? record : await liveKeyIn(ctx, region, record.keyId);
  const next = primary?.multiRegion?.primaryRegion;
  if (next !== undefined && next !== region) {
    region = next;
    primary = region === ctx.arns.region ? record : await liveKeyIn(ctx, region, record.keyId);
  }
  return { region, record: primary };
}

/** The Regions of the primary's replicas that still exist, in the order they were made. */
export async function liveReplicaRegions(ctx: EngineContext, primary: KeyRecord): Promise<string[]> {
  const live: string[] = [];
  for (const region of primary.multiRegion?.replicaRegions ?? []) {
    if (region === ctx.arns.region || (await liveKeyIn(ctx, region, primary.keyId)) !== undefined) live.push(region);
  }
  return live;
}

/** KeyMetadata.MultiRegionConfiguration of a key of this Region (undefined for a single-Region key). */
export async function multiRegionConfiguration(ctx: EngineContext, record: KeyRecord): Promise<MultiRegionConfiguration | undefined> {
  if (record.multiRegion === undefined) return undefined;
  const primary = await primaryOf(ctx, record);
  const entry = (region: string): MultiRegionKey => ({ Arn: arnIn(ctx, region, record.keyId), Region: region });
  const replicas = primary.record === undefined ? [] : await liveReplicaRegions(ctx, primary.record);
  if (record.multiRegion.primaryRegion !== primary.region && !replicas.includes(ctx.arns.region)) replicas.push(ctx.arns.region);
  return {
    MultiRegionKeyType: primary.region === ctx.arns.region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: entry(primary.region),
    ReplicaKeys: replicas.filter((r) => r !== primary.region).map(entry),
  };
}

/**
 * The key as the clock and the other Regions leave it (EngineContext.keyFor applies this after resolving): a
 * replica done Creating, a primary whose last replica is gone now PendingDeletion. Inside a write the change is
 * stored; a read that settles a primary's deletion stores it with a write of its own, so that its DeletionDate
 * (now + the waiting period) is fixed once.
 */
export async function settledMultiRegionKey(ctx: EngineContext, key: ResolvedKey): Promise<ResolvedKey> {
  if (key.record.multiRegion === undefined) return key;
  let record = key.record;
  const created = createdView(record, ctx.now());
  if (created !== undefined) {
    if (ctx.inTransaction) await (ctx as TransactionContext).store.updateKey(created);
    record = created;
  }
  if (record.keyState === 'PendingReplicaDeletion' && (await liveReplicaRegions(ctx, record)).length === 0) {
    const { pendingWindowInDays: days = 30, ...multiRegion } = record.multiRegion as NonNullable<KeyRecord['multiRegion']>;
    const deleting: KeyRecord = { ...record, keyState: 'PendingDeletion', deletionDate: new Date(ctx.now().getTime() + days * DAY_MS), multiRegion };
    if (ctx.inTransaction) {
      await (ctx as TransactionContext).store.updateKey(deleting);
      record = deleting;
    } else {
      record = await ctx.write(undefined, async (tx) => {
        const current = await tx.store.getKey(record.keyId);
        if (current?.keyState !== 'PendingReplicaDeletion') return current ?? deleting;
        await tx.store.updateKey(deleting);
        return deleting;
      });
    }
  }
  return record === key.record ? key : { record, arn: key.arn };
}
