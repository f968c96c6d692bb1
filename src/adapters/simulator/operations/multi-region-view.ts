import type { MultiRegionConfiguration, MultiRegionKey } from '../../../ports/kms.port.js';
import type { EngineContext, ResolvedKey, TransactionContext } from '../engine-context.js';
import { materialEntries } from '../model/key-materials.js';
import { createdView } from '../rules/multi-region-rules.js';
import type { KeyMaterialEntry, KeyRecord, SimulatorStoreReader } from '../store/simulator-store.js';

/**
 * What a multi-Region key is now (docs/kms-behaviour.md §25), read across the Regions of the account: its
 * MultiRegionConfiguration (the primary's list of replica Regions, without the replicas deleted since), and the
 * states the clock or the other Regions settle lazily — a replica's Creating ends at its `readyAt`; a replica takes
 * the key materials its primary's rotations made; a primary PendingReplicaDeletion becomes PendingDeletion (its
 * waiting period starting) once no replica is left.
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
  const copies = await rotatedOnPrimary(ctx, record);
  if (copies.length > 0) {
    record = ctx.inTransaction
      ? await takeMaterials(ctx as TransactionContext, record, copies)
      : await ctx.write(undefined, async (tx) => {
          const stored = await tx.store.getKey(record.keyId);
          return takeMaterials(tx, stored === undefined ? record : (createdView(stored, tx.now()) ?? stored), copies);
        });
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

/** Automatic rotation of a multi-Region key is its primary's setting (§25): the record that holds it. */
export async function sharedRotationOf(ctx: EngineContext, record: KeyRecord): Promise<Pick<KeyRecord, 'rotation'>> {
  if (record.multiRegion === undefined || record.multiRegion.primaryRegion === ctx.arns.region) return record;
  return (await primaryOf(ctx, record)).record ?? {};
}

export interface MaterialCopy {
  readonly entry: KeyMaterialEntry;
  readonly secret: Uint8Array;
}

/**
 * The key materials a replica of a symmetric AWS_KMS key lacks: those its primary's rotations made since (in order),
 * with their bytes. Outside a write, the primary's Region first does what its clock makes due (its automatic
 * rotations), so that a replica never lags behind a rotation that has happened.
 */
async function rotatedOnPrimary(ctx: EngineContext, record: KeyRecord): Promise<MaterialCopy[]> {
  const primaryRegion = record.multiRegion?.primaryRegion;
  if (primaryRegion === undefined || primaryRegion === ctx.arns.region || record.keySpec !== 'SYMMETRIC_DEFAULT' || record.origin !== 'AWS_KMS') return [];
  if (!ctx.inTransaction) await ctx.regions.registry.member(primaryRegion).engine.beforeRead(undefined);
  const primary = await primaryOf(ctx, record);
  if (primary.record === undefined || primary.region === ctx.arns.region) return [];
  const known = new Set(materialEntries(record).map((e) => e.keyMaterialId));
  const copies: MaterialCopy[] = [];
  const store = storeOf(ctx, primary.region);
  for (const entry of materialEntries(primary.record)) {
    if (known.has(entry.keyMaterialId)) continue;
    const current = entry.keyMaterialId === primary.record.currentKeyMaterialId;
    const material = current ? await store.getKeyMaterial(record.keyId) : await store.getKeyMaterial(record.keyId, entry.keyMaterialId);
    if (material === undefined) return []; // the primary is changing: the next lookup catches up
    copies.push({ entry, secret: material.secret });
  }
  return copies;
}

/** The replica with the copied materials, the last one current: each a rotation of the replica's own material. */
export async function takeMaterials(tx: TransactionContext, record: KeyRecord, copies: readonly MaterialCopy[]): Promise<KeyRecord> {
  let replica = record;
  for (const { entry, secret } of copies) {
    if (materialEntries(replica).some((e) => e.keyMaterialId === entry.keyMaterialId)) continue;
    const previous = replica.currentKeyMaterialId as string;
    replica = { ...replica, currentKeyMaterialId: entry.keyMaterialId, keyMaterials: [...materialEntries(replica), entry] };
    await tx.store.rotateKeyMaterial(replica, { spec: 'SYMMETRIC_DEFAULT', secret }, previous);
  }
  return replica;
}
