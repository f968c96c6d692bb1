import type {
  EnableKeyRotationRequest,
  GetKeyRotationStatusResponse,
  KeyIdRequest,
  KmsCallOptions,
  KmsRotationsListEntry,
  ListKeyRotationsRequest,
  ListKeyRotationsResponse,
  RotateKeyOnDemandResponse,
} from '../../../ports/kms.port.js';
import { toHex } from '../../../codec/bytes.js';
import { readRequest } from '../../kms-model/request-reader.js';
import type { EngineContext, TransactionContext } from '../engine-context.js';
import { DEFAULT_PAGE_SIZE, cutPage, pageTail } from '../model/pagination.js';
import {
  DEFAULT_ROTATION_PERIOD_DAYS,
  checkOnDemandRotation,
  checkRotatable,
  isRotatable,
} from '../rules/rotation-rules.js';
import { checkMultiRegionRotation } from '../rules/multi-region-rules.js';
import { sharedRotationOf } from './multi-region-view.js';
import { materialEntries } from '../model/key-materials.js';
import type { KeyMaterialEntry, KeyRecord } from '../store/simulator-store.js';

/**
 * Key rotation (docs/kms-behaviour.md §21): EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
 * RotateKeyOnDemand, ListKeyRotations, and the automatic rotation on the simulator's clock.
 *
 * A rotation gives a symmetric key new key material with a new key material ID (DescribeKey's
 * CurrentKeyMaterialId); Encrypt uses the current material, and every earlier one stays with the key, so a
 * ciphertext names its material (crypto/symmetric-blob.ts) and decrypts for as long as the key exists. Rotations
 * complete at once: no OnDemandRotationStartDate is ever reported. Automatic rotation is lazy like the purge of
 * deleted keys: every operation that touches the store first rotates each Enabled key whose NextRotationDate the
 * clock has passed (as often as its period fits), dated at the scheduled moment.
 */

const DAY_MS = 86_400_000;
/** A key due for many periods at once rotates once per period, up to this many times per operation. */
const MAX_CATCH_UP = 10_000;

export async function enableKeyRotation(
  ctx: EngineContext,
  input: EnableKeyRotationRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { KeyId, RotationPeriodInDays: period = DEFAULT_ROTATION_PERIOD_DAYS } = readRequest('enableKeyRotation', input);
  await ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('EnableKeyRotation', KeyId);
    checkRotatable('EnableKeyRotation', record, arn);
    checkMultiRegionRotation(record, arn, tx.arns.region);
    // The same period again changes nothing; a new one starts a new schedule from now.
    if (record.rotation?.periodInDays === period) return;
    const nextRotationDate = new Date(tx.now().getTime() + period * DAY_MS);
    await tx.store.updateKey({ ...record, rotation: { periodInDays: period, nextRotationDate } });
  });
}

export async function disableKeyRotation(
  ctx: EngineContext,
  input: KeyIdRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { KeyId } = readRequest('disableKeyRotation', input);
  await ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('DisableKeyRotation', KeyId);
    checkRotatable('DisableKeyRotation', record, arn);
    checkMultiRegionRotation(record, arn, tx.arns.region);
    if (record.rotation === undefined) return;
    const { rotation: _dropped, ...rest } = record;
    await tx.store.updateKey(rest);
  });
}

/**
 * Every key state. A key pending deletion reports `false` (its setting returns with CancelKeyDeletion); an
 * asymmetric or HMAC key reports `false` rather than refusing.
 */
export async function getKeyRotationStatus(
  ctx: EngineContext,
  input: KeyIdRequest,
  options: KmsCallOptions | undefined,
): Promise<GetKeyRotationStatusResponse> {
  const { KeyId } = readRequest('getKeyRotationStatus', input);
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('GetKeyRotationStatus', KeyId);
  if (!isRotatable(record)) return { KeyRotationEnabled: false, KeyId: arn };
  checkRotatable('GetKeyRotationStatus', record, arn);
  const { rotation } = await sharedRotationOf(ctx, record); // a multi-Region replica reports its primary's (§25)
  if (rotation === undefined || record.keyState === 'PendingDeletion') return { KeyRotationEnabled: false, KeyId: arn };
  return {
    KeyRotationEnabled: true,
    KeyId: arn,
    RotationPeriodInDays: rotation.periodInDays,
    NextRotationDate: new Date(rotation.nextRotationDate.getTime()),
  };
}

export async function rotateKeyOnDemand(
  ctx: EngineContext,
  input: KeyIdRequest,
  options: KmsCallOptions | undefined,
): Promise<RotateKeyOnDemandResponse> {
  const { KeyId } = readRequest('rotateKeyOnDemand', input);
  return ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('RotateKeyOnDemand', KeyId);
    checkRotatable('RotateKeyOnDemand', record, arn);
    checkMultiRegionRotation(record, arn, tx.arns.region);
    const now = tx.now();
    checkOnDemandRotation(record, arn, now);
    await rotate(tx, record, now, 'ON_DEMAND');
    return { KeyId: arn };
  });
}

/** The key's materials in order of creation: the rotations, and with ALL_KEY_MATERIAL the first one too. */
export async function listKeyRotations(
  ctx: EngineContext,
  input: ListKeyRotationsRequest,
  options: KmsCallOptions | undefined,
): Promise<ListKeyRotationsResponse> {
  const {
    KeyId,
    IncludeKeyMaterial: include = 'ROTATIONS_ONLY',
    Limit: limit = DEFAULT_PAGE_SIZE.ListKeyRotations,
    Marker: marker,
  } = readRequest('listKeyRotations', input);
  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('ListKeyRotations', KeyId);
  checkRotatable('ListKeyRotations', record, arn);
  const scope = `ListKeyRotations:${record.keyId}:${include}`;
  const after = marker === undefined ? -1 : Number(ctx.markers.decode(scope, marker));
  const entries = materialEntries(record)
    .map((entry, index) => ({ entry, index }))
    .filter(({ index }) => index > after && (include === 'ALL_KEY_MATERIAL' || index > 0));
  const page = cutPage(entries.slice(0, limit + 1), limit, (last) => ctx.markers.encode(scope, String(last.index)));
  return { Rotations: page.items.map(({ entry }) => listEntry(record, entry)), ...pageTail(page) };
}

/**
 * The automatic rotations that are due (the facade runs this first in every write, like the purge): each Enabled
 * key with automatic rotation whose NextRotationDate is at or before now rotates, once per period that has
 * passed, each rotation dated at its scheduled moment.
 */
export async function rotateDueKeys(tx: TransactionContext): Promise<void> {
  const now = tx.now();
  for (const keyId of await tx.store.keysDueForRotation(now)) {
    let record = await tx.store.getKey(keyId);
    for (let n = 0; n < MAX_CATCH_UP && record?.rotation !== undefined; n++) {
      const { periodInDays, nextRotationDate } = record.rotation;
      if (nextRotationDate.getTime() > now.getTime()) break;
      const next = new Date(nextRotationDate.getTime() + periodInDays * DAY_MS);
      record = await rotate(tx, { ...record, rotation: { periodInDays, nextRotationDate: next } }, nextRotationDate, 'AUTOMATIC');
    }
  }
}

/** New key material for `record`, current from now on; the current one is kept as an earlier material. */
async function rotate(
  tx: TransactionContext,
  record: KeyRecord,
  rotationDate: Date,
  rotationType: 'AUTOMATIC' | 'ON_DEMAND',
): Promise<KeyRecord> {
  const previous = record.currentKeyMaterialId as string; // symmetric keys always have one
  const keyMaterialId = toHex(tx.crypto.getRandomValues(new Uint8Array(32)));
  const secret = tx.crypto.getRandomValues(new Uint8Array(32));
  const rotated: KeyRecord = {
    ...record,
    currentKeyMaterialId: keyMaterialId,
    keyMaterials: [...materialEntries(record), { keyMaterialId, rotationDate: new Date(rotationDate.getTime()), rotationType }],
  };
  await tx.store.rotateKeyMaterial(rotated, { spec: 'SYMMETRIC_DEFAULT', secret }, previous);
  secret.fill(0);
  return rotated;
}

/** Every material of a key, the original first (a key never rotated has only `currentKeyMaterialId`). */
function listEntry(record: KeyRecord, entry: KeyMaterialEntry): KmsRotationsListEntry {
  return {
    KeyId: record.keyId,
    KeyMaterialId: entry.keyMaterialId,
    KeyMaterialState: entry.keyMaterialId === record.currentKeyMaterialId ? 'CURRENT' : 'NON_CURRENT',
    ...(entry.rotationDate === undefined ? {} : { RotationDate: new Date(entry.rotationDate.getTime()) }),
    ...(entry.rotationType === undefined ? {} : { RotationType: entry.rotationType }),
  };
}
