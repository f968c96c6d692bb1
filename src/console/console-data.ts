/**
 * What the console's pages show, read through a partition's KmsPort with the operations any KMS client has
 * (ListKeys, ListAliases, DescribeKey, ListResourceTags, GetPublicKey, GetKeyRotationStatus, ListKeyRotations):
 * only metadata and public keys — the port has no way to return private material. Failures of single reads
 * (a key pending deletion has no public key to give) become a note on the page instead of an error.
 */
import { spkiToJwkComponents, spkiToPem } from '../codec/public-key.js';
import { aliasNamespace, parseAliasName } from '../domain/alias-names.js';
import type { AliasListEntry, KeyMetadata, KmsPort, KmsRotationsListEntry, KmsTag } from '../ports/kms.port.js';
import type { GetKeyRotationStatusResponse } from '../ports/kms-rotation-types.js';
import { mapLimit } from '../provider/map-limit.js';
import { paginate } from '../provider/paginate.js';
import { isPrePublished } from '../provider/version-writer.js';

/** The most keys a table lists (a development tool: beyond that, filter). */
export const MAX_LISTED_KEYS = 2000;
const CONCURRENCY = 8;

export interface KeyRow {
  readonly metadata: KeyMetadata;
  readonly aliases: readonly string[];
}

export interface KeyTable {
  readonly rows: readonly KeyRow[];
  /** More keys exist than MAX_LISTED_KEYS. */
  readonly truncated: boolean;
}

async function allAliases(kms: KmsPort): Promise<AliasListEntry[]> {
  const out: AliasListEntry[] = [];
  for await (const alias of paginate((next) => kms.listAliases({ ...next, Limit: 100 }), (page) => page.Aliases)) out.push(alias);
  return out;
}

/** Every key of the partition (up to MAX_LISTED_KEYS) with its aliases, those matching `filter` (alias or id, any case). */
export async function keyTable(kms: KmsPort, filter: string): Promise<KeyTable> {
  const ids: string[] = [];
  let truncated = false;
  for await (const key of paginate((next) => kms.listKeys({ ...next, Limit: 1000 }), (page) => page.Keys)) {
    if (ids.length === MAX_LISTED_KEYS) {
      truncated = true;
      break;
    }
    ids.push(key.KeyId);
  }
  const aliasesOf = new Map<string, string[]>();
  for (const alias of await allAliases(kms)) {
    if (alias.TargetKeyId === undefined) continue;
    const list = aliasesOf.get(alias.TargetKeyId) ?? [];
    list.push(alias.AliasName);
    aliasesOf.set(alias.TargetKeyId, list);
  }
  const needle = filter.trim().toLowerCase();
  const wanted = ids.filter(
    (id) => needle === '' || id.toLowerCase().includes(needle) || (aliasesOf.get(id) ?? []).some((a) => a.toLowerCase().includes(needle)),
  );
  const described = await mapLimit(wanted, CONCURRENCY, async (id) => {
    try {
      return (await kms.describeKey({ KeyId: id })).KeyMetadata;
    } catch {
      return undefined; // deleted meanwhile
    }
  });
  const rows: KeyRow[] = [];
  for (const metadata of described) {
    if (metadata !== undefined) rows.push({ metadata, aliases: (aliasesOf.get(metadata.KeyId) ?? []).sort() });
  }
  rows.sort((a, b) => b.metadata.CreationDate.getTime() - a.metadata.CreationDate.getTime() || a.metadata.KeyId.localeCompare(b.metadata.KeyId));
  return { rows, truncated };
}

/** A value read, or why it could not be. */
export type Read<T> = { readonly value: T } | { readonly unavailable: string };

async function read<T>(fn: () => Promise<T>): Promise<Read<T>> {
  try {
    return { value: await fn() };
  } catch (error) {
    const e = error as { name?: string; message?: string };
    return { unavailable: `${e.name ?? 'Error'}: ${e.message ?? String(error)}` };
  }
}

export interface PublicKeyView {
  readonly pem: string;
  /** The public JWK members of the key (kty and its parameters; no kid, alg or use: those are the provider's). */
  readonly jwk: Readonly<Record<string, string>>;
}

export interface RotationView {
  readonly status: GetKeyRotationStatusResponse;
  readonly rotations: readonly KmsRotationsListEntry[];
}

export interface KeyDetails {
  readonly metadata: KeyMetadata;
  readonly aliases: readonly string[];
  readonly tags: Read<readonly KmsTag[]>;
  /** Asymmetric keys only. */
  readonly publicKey: Read<PublicKeyView> | undefined;
  /** Symmetric encryption keys only (SYMMETRIC_DEFAULT). */
  readonly rotation: Read<RotationView> | undefined;
}

/** Everything the key page shows of one key; the KMS error (NotFoundException, …) when the key cannot be described. */
export async function keyDetails(kms: KmsPort, keyId: string): Promise<KeyDetails> {
  const { KeyMetadata: metadata } = await kms.describeKey({ KeyId: keyId });
  const id = metadata.KeyId;
  const [aliases, tags, publicKey, rotation] = await Promise.all([
    read(async () => {
      const names: string[] = [];
      for await (const a of paginate((next) => kms.listAliases({ ...next, KeyId: id, Limit: 100 }), (page) => page.Aliases)) {
        names.push(a.AliasName);
      }
      return names.sort();
    }),
    read(async () => {
      const out: KmsTag[] = [];
      for await (const t of paginate((next) => kms.listResourceTags({ ...next, KeyId: id, Limit: 50 }), (page) => page.Tags)) out.push(t);
      return out;
    }),
    isAsymmetric(metadata)
      ? read(async () => {
          const der = (await kms.getPublicKey({ KeyId: id })).PublicKey;
          return { pem: spkiToPem(der), jwk: { ...spkiToJwkComponents(der) } as Record<string, string> };
        })
      : undefined,
    metadata.KeySpec === 'SYMMETRIC_DEFAULT'
      ? read(async () => {
          const status = await kms.getKeyRotationStatus({ KeyId: id });
          const rotations: KmsRotationsListEntry[] = [];
          for await (const r of paginate((next) => kms.listKeyRotations({ ...next, KeyId: id, Limit: 100 }), (page) => page.Rotations)) {
            rotations.push(r);
          }
          return { status, rotations };
        })
      : undefined,
  ]);
  return { metadata, aliases: 'value' in aliases ? aliases.value : [], tags, publicKey, rotation };
}

function isAsymmetric(metadata: KeyMetadata): boolean {
  return metadata.KeySpec !== 'SYMMETRIC_DEFAULT' && !metadata.KeySpec.startsWith('HMAC_');
}

/** One version of a provider kid, as its `/vN` alias and key tell it. */
export interface VersionView {
  readonly version: number;
  /** Undefined once KMS deleted the key (its aliases go with it): the number is missing below the highest. */
  readonly metadata: KeyMetadata | undefined;
  /** The version the latest alias targets (the one that signs). */
  readonly latest: boolean;
  /** Made by `rotate --no-activate` (its Description says so). */
  readonly prePublished: boolean;
  /** When the latest alias last moved, for the latest version (KMS records no other activation time). */
  readonly activatedAt: Date | undefined;
}

export interface KidView {
  readonly kid: string;
  /** Ascending, the deleted numbers below the highest included. */
  readonly versions: readonly VersionView[];
}

/** Every kid under `alias/<prefix>/` of the partition, each with its versions; one ListAliases pass. */
export async function kidViews(kms: KmsPort, prefix: string, onlyKid?: string): Promise<KidView[]> {
  const namespace = aliasNamespace(prefix);
  interface KidAliases {
    latest?: AliasListEntry;
    versions: Map<number, AliasListEntry>;
  }
  const kids = new Map<string, KidAliases>();
  for (const alias of await allAliases(kms)) {
    if (!alias.AliasName.startsWith(namespace) || alias.TargetKeyId === undefined) continue;
    const parsed = parseAliasName(prefix, alias.AliasName);
    if (parsed === undefined || (onlyKid !== undefined && parsed.kid !== onlyKid)) continue;
    const entry: KidAliases = kids.get(parsed.kid) ?? { versions: new Map<number, AliasListEntry>() };
    if (parsed.version === undefined) entry.latest = alias;
    else entry.versions.set(parsed.version, alias);
    kids.set(parsed.kid, entry);
  }
  const views = await mapLimit([...kids.entries()].sort(([a], [b]) => a.localeCompare(b)), CONCURRENCY, async ([kid, entry]) => {
    const highest = Math.max(0, ...entry.versions.keys());
    const numbers = Array.from({ length: highest }, (_, i) => i + 1);
    const versions = await mapLimit(numbers, CONCURRENCY, async (version): Promise<VersionView> => {
      const alias = entry.versions.get(version);
      let metadata: KeyMetadata | undefined;
      if (alias !== undefined) {
        try {
          metadata = (await kms.describeKey({ KeyId: alias.TargetKeyId! })).KeyMetadata;
        } catch {
          metadata = undefined;
        }
      }
      const latest = alias !== undefined && entry.latest?.TargetKeyId === alias.TargetKeyId;
      return {
        version,
        metadata,
        latest,
        prePublished: metadata !== undefined && isPrePublished(metadata),
        activatedAt: latest ? entry.latest?.LastUpdatedDate : undefined,
      };
    });
    return { kid, versions };
  });
  return views;
}
