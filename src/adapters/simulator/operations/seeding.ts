import { toHex } from '../../../codec/bytes.js';
import { ConflictError, InvalidArgumentError } from '../../../domain/errors.js';
import { describe } from '../../../domain/validation.js';
import type { KmsCallOptions } from '../../../ports/kms.port.js';
import { generateKeyMaterial } from '../crypto/key-generation.js';
import type { EngineContext, TransactionContext } from '../engine-context.js';
import { MAX_ALIASES_PER_KEY } from '../rules/alias-rules.js';
import { defaultKeyPolicy } from '../rules/policy-rules.js';
import { setTags } from '../rules/tag-rules.js';
import { importedMaterialId, privateKeyMaterial, sameMaterial, secretMaterial } from '../seed/seed-key-material.js';
import { DEFAULT_SEED_SOURCE, entryLabel, parseSeed, readSeedEntries } from '../seed/seed-parser.js';
import type { SeedCallOptions, SeedEntry, SeedInput, SeedOutcome, SeedReport } from '../seed/seed-types.js';
import type { KeyMaterial, KeyRecord } from '../store/simulator-store.js';

/**
 * Seeding (docs/kms-behaviour.md §17): keys with fixed key IDs and key material, their aliases and tags, written
 * through the normal write path as ONE store transaction for the whole seed — all of it or nothing.
 *
 * Key material is imported (or generated) before the transaction; the transaction only reads and writes the
 * store, so a store that re-runs it (an optimistic durable store) gets the same result. Material is generated
 * only for keys that do not exist yet: the transaction first plans every entry (reads only) and, when a key it
 * must create has no material, ends without writing; the material is then generated and the seed runs again.
 */

/** A seed entry to apply, with where it stands in the document. */
interface Candidate {
  readonly entry: SeedEntry;
  readonly index: number;
  readonly label: string;
}

/** What is made before the transaction: the material (given or generated), a fresh key ID and material ID. */
interface Prepared {
  readonly given?: KeyMaterial;
  generated?: KeyMaterial;
  readonly freshKeyId: string;
  readonly materialId: string;
}

/** What the transaction does for one entry. */
interface Plan {
  readonly candidate: Candidate;
  readonly status: 'created' | 'updated' | 'unchanged';
  readonly keyId: string;
  readonly insert?: { record: KeyRecord; material: KeyMaterial };
  readonly update?: KeyRecord;
  readonly aliasesToAdd: readonly string[];
}

type Attempt = { kind: 'done'; outcomes: SeedOutcome[] } | { kind: 'missing'; indexes: number[] };

const MAX_ATTEMPTS = 3;

/** Checks a seed (a document's text or a list of entries) without touching any store. */
export function readSeed(input: SeedInput, source: string = DEFAULT_SEED_SOURCE): SeedEntry[] {
  if (typeof input === 'string') return parseSeed(input, source);
  if (Array.isArray(input)) return readSeedEntries(input, source);
  throw new InvalidArgumentError(`${source}: a seed is a document (YAML or JSON text) or a list of entries; got ${describe(input)}`);
}

/** `SimulatedKms.seed`: checks the seed, then applies it. */
export async function seed(ctx: EngineContext, input: SeedInput, options: SeedCallOptions | undefined): Promise<SeedReport> {
  options?.abortSignal?.throwIfAborted();
  const source = options?.source ?? DEFAULT_SEED_SOURCE;
  return applySeed(ctx, readSeed(input, source), source, options);
}

/** Applies checked entries: those of another Region or account are skipped, the others written in one transaction. */
export async function applySeed(
  ctx: EngineContext,
  entries: readonly SeedEntry[],
  source: string,
  options: KmsCallOptions | undefined,
): Promise<SeedReport> {
  const skipped: SeedOutcome[] = [];
  const candidates: Candidate[] = [];
  entries.forEach((entry, index) => {
    const label = entryLabel(entry, index);
    const reason = skipReason(ctx, entry);
    if (reason === undefined) candidates.push({ entry, index, label });
    else skipped.push({ index, entry: label, status: 'skipped', ...(entry.KeyId === undefined ? {} : { keyId: entry.KeyId }), reason });
  });
  checkDistinct(candidates, source);

  const prepared = new Map(candidates.map((c) => [c.index, prepare(ctx, c.entry)]));
  let missing = await likelyNew(ctx, candidates, prepared);
  for (let attempt = 1; ; attempt += 1) {
    for (const index of missing) {
      const p = prepared.get(index) as Prepared;
      p.generated ??= await generateKeyMaterial((entries[index] as SeedEntry).KeySpec, ctx.crypto);
    }
    const result = await ctx.write(options, (tx) => applyAll(tx, candidates, prepared, source));
    if (result.kind === 'done') return seedReport([...skipped, ...result.outcomes]);
    if (attempt >= MAX_ATTEMPTS) {
      throw new ConflictError(`${source}: the store kept changing while seeding (another process is writing); try again`);
    }
    missing = result.indexes;
  }
}

function skipReason(ctx: EngineContext, entry: SeedEntry): string | undefined {
  if (entry.Region !== undefined && entry.Region !== ctx.arns.region) {
    return `Region ${entry.Region} is not this simulator's Region ${ctx.arns.region}`;
  }
  if (entry.AccountId !== undefined && entry.AccountId !== ctx.accountId) {
    return `AccountId ${entry.AccountId} is not this simulator's account ${ctx.accountId}`;
  }
  return undefined;
}

/** One seed names a key, and an alias, at most once. */
function checkDistinct(candidates: readonly Candidate[], source: string): void {
  const keyIds = new Map<string, Candidate>();
  const aliases = new Map<string, Candidate>();
  for (const c of candidates) {
    const keyId = c.entry.KeyId;
    if (keyId !== undefined) {
      const other = keyIds.get(keyId);
      if (other !== undefined) throw new InvalidArgumentError(`${source}: ${other.label} and ${c.label} both have KeyId ${keyId}`);
      keyIds.set(keyId, c);
    }
    for (const name of c.entry.Aliases) {
      const other = aliases.get(name);
      if (other !== undefined) throw new InvalidArgumentError(`${source}: ${other.label} and ${c.label} both list ${name}`);
      aliases.set(name, c);
    }
  }
}

/** Imports the entry's material (already checked by the parser); fresh IDs in case the key is new. */
function prepare(ctx: EngineContext, entry: SeedEntry): Prepared {
  const given =
    entry.PrivateKeyPem !== undefined
      ? privateKeyMaterial(entry.KeySpec, entry.PrivateKeyPem)
      : entry.KeyMaterial !== undefined
        ? secretMaterial(entry.KeySpec, entry.KeyMaterial)
        : undefined;
  return {
    ...(given === undefined ? {} : { given }),
    freshKeyId: ctx.crypto.randomUUID(),
    // Imported material has an ID of its own (simulators seeded alike decrypt each other's ciphertexts).
    materialId: given === undefined ? toHex(ctx.crypto.getRandomValues(new Uint8Array(32))) : importedMaterialId(given),
  };
}

/** The entries without material whose key does not exist now (a hint: the transaction decides). */
async function likelyNew(ctx: EngineContext, candidates: readonly Candidate[], prepared: Map<number, Prepared>): Promise<number[]> {
  const indexes: number[] = [];
  for (const { entry, index } of candidates) {
    if (prepared.get(index)?.given !== undefined) continue;
    if (entry.KeyId !== undefined) {
      if ((await ctx.store.getKey(entry.KeyId)) === undefined) indexes.push(index);
      continue;
    }
    let found = false;
    for (const name of entry.Aliases) if ((await ctx.store.getAlias(name)) !== undefined) found = true;
    if (!found) indexes.push(index);
  }
  return indexes;
}

/** The transaction: every entry planned (reads only), then, if every new key has material, written. */
async function applyAll(
  tx: TransactionContext,
  candidates: readonly Candidate[],
  prepared: ReadonlyMap<number, Prepared>,
  source: string,
): Promise<Attempt> {
  const plans: Plan[] = [];
  const missing: number[] = [];
  for (const candidate of candidates) {
    const plan = await planEntry(tx, candidate, prepared.get(candidate.index) as Prepared, source);
    if (plan === undefined) missing.push(candidate.index);
    else plans.push(plan);
  }
  if (missing.length > 0) return { kind: 'missing', indexes: missing };
  const byKey = new Map<string, Plan>();
  for (const plan of plans) {
    const other = byKey.get(plan.keyId);
    if (other !== undefined) {
      throw new ConflictError(`${source}: ${other.candidate.label} and ${plan.candidate.label} are the same key ${plan.keyId}`);
    }
    byKey.set(plan.keyId, plan);
  }

  const now = tx.now();
  for (const plan of plans) {
    if (plan.insert !== undefined) await tx.store.insertKey(plan.insert.record, plan.insert.material);
    if (plan.update !== undefined) await tx.store.updateKey(plan.update);
    for (const aliasName of plan.aliasesToAdd) {
      await tx.store.putAlias({ aliasName, targetKeyId: plan.keyId, creationDate: now, lastUpdatedDate: now });
    }
  }
  const outcomes = plans.map(({ candidate, status, keyId }) => ({
    index: candidate.index,
    entry: candidate.label,
    status,
    keyId,
    keyArn: tx.arns.keyArn(keyId),
  }));
  return { kind: 'done', outcomes };
}

/** What to do for one entry; undefined when its key is new and has no material yet. Conflicts throw. */
async function planEntry(tx: TransactionContext, candidate: Candidate, prepared: Prepared, source: string): Promise<Plan | undefined> {
  const { entry, label } = candidate;
  const conflict = (message: string): ConflictError => new ConflictError(`${source}: ${label}: ${message}`);
  const aliasTargets = new Map<string, string>();
  for (const name of entry.Aliases) {
    const alias = await tx.store.getAlias(name);
    if (alias !== undefined) aliasTargets.set(name, alias.targetKeyId);
  }

  let existing: KeyRecord | undefined;
  if (entry.KeyId !== undefined) {
    existing = await tx.store.getKey(entry.KeyId);
    // Seeding again never undoes what happened since: an alias of an existing key that now targets another key
    // (a rotation moved `alias/<prefix>/<kid>`, say) stays where it is. For a new key it is a conflict.
    if (existing === undefined) {
      for (const [name, target] of aliasTargets) {
        if (target !== entry.KeyId) throw conflict(`alias ${name} already targets another key, ${target}`);
      }
    }
  } else {
    const targets = [...new Set(aliasTargets.values())];
    if (targets.length > 1) throw conflict(`its aliases already target different keys (${targets.join(', ')})`);
    if (targets[0] !== undefined) existing = await tx.store.getKey(targets[0]);
  }

  if (existing === undefined) {
    const material = prepared.given ?? prepared.generated;
    if (material === undefined) return undefined;
    const keyId = entry.KeyId ?? prepared.freshKeyId;
    const tagged = setTags([], 1, entry.Tags);
    const record: KeyRecord = {
      keyId,
      creationDate: tx.now(),
      description: entry.Description ?? '',
      policy: defaultKeyPolicy(tx.arns.partition, tx.accountId),
      keySpec: entry.KeySpec,
      keyUsage: entry.KeyUsage,
      origin: 'AWS_KMS',
      keyState: entry.Enabled === false ? 'Disabled' : 'Enabled',
      ...(entry.KeySpec === 'SYMMETRIC_DEFAULT' ? { currentKeyMaterialId: prepared.materialId } : {}),
      tags: tagged.tags,
      nextTagSeq: tagged.nextTagSeq,
    };
    return { candidate, status: 'created', keyId, insert: { record, material }, aliasesToAdd: entry.Aliases };
  }

  const keyId = existing.keyId;
  const via = entry.KeyId === undefined ? ` (found through its aliases)` : '';
  if (existing.keySpec !== entry.KeySpec || existing.keyUsage !== entry.KeyUsage) {
    throw conflict(
      `key ${keyId}${via} exists as ${existing.keySpec} ${existing.keyUsage}; the entry says ${entry.KeySpec} ${entry.KeyUsage}`,
    );
  }
  if (existing.keyState === 'PendingDeletion') {
    throw conflict(`key ${keyId}${via} is pending deletion; cancel its deletion (CancelKeyDeletion) or let it be deleted`);
  }
  // A rotated key keeps the material it was seeded with as its original one (docs/kms-behaviour.md §21).
  if (prepared.given !== undefined && !sameMaterial(await tx.originalMaterial(existing), prepared.given)) {
    const field = entry.PrivateKeyPem === undefined ? 'KeyMaterial' : 'PrivateKeyPem';
    throw conflict(`key ${keyId}${via} exists with other key material than the entry's ${field}`);
  }
  const aliasesToAdd = entry.Aliases.filter((name) => !aliasTargets.has(name));
  const aliasCount = await tx.store.countAliases(keyId);
  if (aliasCount + aliasesToAdd.length > MAX_ALIASES_PER_KEY) {
    throw conflict(`key ${keyId} has ${aliasCount} aliases; ${aliasesToAdd.length} more would pass the ${MAX_ALIASES_PER_KEY} a key can have`);
  }
  let tagged: { tags: KeyRecord['tags']; nextTagSeq: number };
  try {
    tagged = setTags(existing.tags, existing.nextTagSeq, entry.Tags);
  } catch {
    throw conflict(`key ${keyId} has ${existing.tags.length} tags; with the entry's it would have more than a key can have`);
  }
  const keyState = entry.Enabled === undefined ? existing.keyState : entry.Enabled ? 'Enabled' : 'Disabled';
  const description = entry.Description ?? existing.description;
  const changed =
    keyState !== existing.keyState ||
    description !== existing.description ||
    tagged.nextTagSeq !== existing.nextTagSeq ||
    tagged.tags.some((t, i) => t.value !== existing.tags[i]?.value);
  return {
    candidate,
    status: changed || aliasesToAdd.length > 0 ? 'updated' : 'unchanged',
    keyId,
    ...(changed ? { update: { ...existing, keyState, description, tags: tagged.tags, nextTagSeq: tagged.nextTagSeq } } : {}),
    aliasesToAdd,
  };
}

/**
 * The seed's entries, each scoped to the partition it goes to (its Region and account, else the defaults), and
 * those partitions: an entry without Region or AccountId seeds the default partition, not every one. Seeding each
 * partition with all the scoped entries applies each entry exactly once (the others are skipped there).
 */
export function seedByPartition(
  entries: readonly SeedEntry[],
  defaults: { readonly accountId: string; readonly region: string },
): { entries: SeedEntry[]; partitions: Array<{ accountId: string; region: string }> } {
  const scoped = entries.map((entry) => ({
    ...entry,
    Region: entry.Region ?? defaults.region,
    AccountId: entry.AccountId ?? defaults.accountId,
  }));
  const partitions = new Map<string, { accountId: string; region: string }>();
  for (const entry of scoped) {
    partitions.set(`${entry.AccountId}/${entry.Region}`, { accountId: entry.AccountId, region: entry.Region });
  }
  return { entries: scoped, partitions: [...partitions.values()] };
}

/** A report of outcomes, in document order and by status. */
export function seedReport(outcomes: readonly SeedOutcome[]): SeedReport {
  const entries = [...outcomes].sort((a, b) => a.index - b.index);
  const having = (status: SeedOutcome['status']): SeedOutcome[] => entries.filter((o) => o.status === status);
  return {
    entries,
    created: having('created'),
    updated: having('updated'),
    unchanged: having('unchanged'),
    skipped: having('skipped'),
  };
}
