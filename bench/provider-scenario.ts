/**
 * The account the provider benchmark measures in: a fresh in-memory SimulatedKms holding K kids (ECDSA P-256,
 * one version each) under the provider's prefix and OTHER_ALIASES aliases under another prefix, each on a key of
 * its own. Made directly through the provider and the simulator (no latency, nothing counted), then described:
 * the account's full alias listing in ListAliases order, which the original's exact call count is derived from.
 */
import { AwsKmsKeyProvider, KeyAlg, KeyClass, SimulatedKms } from '../src/index.js';

export const PREFIX = 'swarmauri';
/** Aliases under another prefix: `alias/app/…` sorts before `alias/swarmauri/…`, so they precede the kids. */
export const OTHER_PREFIX = 'app';
export const OTHER_ALIASES = 200;

export interface Scenario {
  kms: SimulatedKms;
  k: number;
  /** The kids, in name order (= their latest aliases' listing order). */
  kids: string[];
  /** Every alias ListAliases lists with no parameters (`alias/aws/*` included), in listing order. */
  listing: string[];
  /** The page size of ListAliases without Limit (the first page's length). */
  defaultPage: number;
}

/** The full listing of a port's aliases with no parameters, as names. */
export async function listAllAliasNames(kms: SimulatedKms): Promise<{ names: string[]; firstPage: number }> {
  const names: string[] = [];
  let firstPage = -1;
  let marker: string | undefined;
  do {
    const page = await kms.listAliases(marker === undefined ? {} : { Marker: marker });
    if (firstPage < 0) firstPage = page.Aliases.length;
    names.push(...page.Aliases.map((a) => a.AliasName));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker !== undefined);
  return { names, firstPage };
}

/** Builds the account for K kids; `progress` hears about every 250 kids. */
export async function buildScenario(k: number, accountId: string, progress: (line: string) => void): Promise<Scenario> {
  const kms = new SimulatedKms({ region: 'us-east-1', accountId });
  for (let i = 0; i < OTHER_ALIASES; i++) {
    const { KeyMetadata } = await kms.createKey({});
    await kms.createAlias({ AliasName: `alias/${OTHER_PREFIX}/service-${String(i).padStart(3, '0')}`, TargetKeyId: KeyMetadata.KeyId });
  }
  const provider = new AwsKmsKeyProvider({ kms, aliasPrefix: PREFIX });
  const kids: string[] = [];
  for (let i = 0; i < k; i++) {
    kids.push((await provider.createKey({ klass: KeyClass.asymmetric, alg: KeyAlg.ECDSA_P256_SHA256 })).kid);
    if ((i + 1) % 250 === 0 && i + 1 < k) progress(`    … ${i + 1} of ${k} kids`);
  }
  kids.sort();
  const { names, firstPage } = await listAllAliasNames(kms);
  return { kms, k, kids, listing: names, defaultPage: firstPage };
}

/**
 * The original's exact jwks() cost in this account, from the listing alone: P = ⌈A/S⌉ pages for its own listing,
 * then per kid (latest alias under the prefix, listing order) ListResourceTags + its find of `/v1` (pages up to
 * and including the one holding that name) + ListResourceTags + GetPublicKey. `fullPaging` is the bound when every
 * find pages the whole account: K × (P + 3) + P.
 */
export function originalJwksCost(scenario: Scenario): { exact: number; fullPaging: number; pages: number } {
  const { listing, defaultPage: size } = scenario;
  const pages = Math.max(1, Math.ceil(listing.length / size));
  const base = `alias/${PREFIX}/`;
  const position = new Map(listing.map((name, index) => [name, index]));
  let exact = pages;
  let kids = 0;
  for (const name of listing) {
    if (!name.startsWith(base) || name.slice(base.length).includes('/v')) continue;
    const index = position.get(`${name}/v1`);
    if (index === undefined) throw new Error(`bench scenario: ${name} has no /v1 alias`);
    exact += 1 + (Math.floor(index / size) + 1) + 2;
    kids += 1;
  }
  return { exact, fullPaging: kids * (pages + 3) + pages, pages };
}
