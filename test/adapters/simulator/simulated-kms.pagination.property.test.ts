/**
 * Pagination (docs/kms-behaviour.md §12): paging ListKeys, ListAliases and ListResourceTags with any Limit
 * yields every item exactly once, also while items come and go between pages; markers are opaque and bound to
 * their listing. Replay a failure with FC_SEED=<seed>.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { PREDEFINED_AWS_ALIASES } from '../../../src/adapters/simulator/rules/alias-rules.js';
import { MarkerCodec } from '../../../src/adapters/simulator/model/pagination.js';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { DAY_MS, ManualClock, createKey, expectKmsError, newKms } from './simulator-test-kit.js';

interface Page {
  items: string[];
  Truncated: boolean;
  NextMarker?: string;
}

/** A change made between two pages: add an item, remove the i-th live one, or nothing. */
type Change = { kind: 'add' } | { kind: 'remove'; index: number } | { kind: 'none' };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.constant<Change>({ kind: 'none' }),
  fc.constant<Change>({ kind: 'add' }),
  fc.nat().map<Change>((index) => ({ kind: 'remove', index })),
);

/** One listing under test: how to fill it, page it and change it. */
interface Listing {
  /** Items that exist without the test (the predefined AWS aliases). */
  fixed: string[];
  add(): Promise<string>;
  remove(item: string): Promise<void>;
  page(limit: number, marker?: string): Promise<Page>;
}

/**
 * Walks a listing with `limit`, applying `changes` between pages. Every item present from start to end is
 * returned; nothing is returned twice or invented; every page respects the limit and the Truncated/NextMarker rule.
 */
async function checkWalk(listing: Listing, initial: number, limit: number, changes: readonly Change[]): Promise<void> {
  const live: string[] = [];
  for (let i = 0; i < initial; i++) live.push(await listing.add());
  const atStart = [...live, ...listing.fixed];
  const everPresent = new Set(atStart);
  const removed = new Set<string>();
  const seen: string[] = [];
  let marker: string | undefined;
  for (let pages = 0; ; pages++) {
    expect(pages, 'too many pages').to.be.below(initial + changes.length + listing.fixed.length + 2);
    const page = await listing.page(limit, marker);
    expect(page.items.length).to.be.at.most(limit);
    expect(page.Truncated).to.equal(page.NextMarker !== undefined);
    seen.push(...page.items);
    if (!page.Truncated) break;
    marker = page.NextMarker;
    const change = changes[pages] ?? { kind: 'none' };
    if (change.kind === 'add') {
      const item = await listing.add();
      live.push(item);
      everPresent.add(item);
    } else if (change.kind === 'remove' && live.length > 0) {
      const [item] = live.splice(change.index % live.length, 1) as [string];
      await listing.remove(item);
      removed.add(item);
    }
  }
  expect(new Set(seen).size, 'an item came twice').to.equal(seen.length);
  for (const item of seen) expect(everPresent.has(item), `unknown item ${item}`).to.equal(true);
  // Items added during the walk may or may not be seen (once at most); those there all along must be.
  for (const item of atStart) if (!removed.has(item)) expect(seen, `missing ${item}`).to.include(item);
}

function keysListing(kms: SimulatedKms, clock: ManualClock): Listing {
  return {
    fixed: [],
    add: async () => (await createKey(kms)).KeyId,
    remove: async (keyId) => {
      await kms.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 });
      clock.advance(7 * DAY_MS);
    },
    page: async (Limit, Marker) => {
      const r = await kms.listKeys({ Limit, ...(Marker === undefined ? {} : { Marker }) });
      return { items: r.Keys.map((k) => k.KeyId), Truncated: r.Truncated, ...(r.NextMarker === undefined ? {} : { NextMarker: r.NextMarker }) };
    },
  };
}

function aliasesListing(kms: SimulatedKms, targetKeyId: string, filtered: boolean): Listing {
  let n = 0;
  return {
    fixed: filtered ? [] : [...PREDEFINED_AWS_ALIASES],
    add: async () => {
      // Names spread over the alphabet, so that additions land before and after the walk's position.
      const name = `alias/${(n * 7919) % 1000}-${n++}`;
      await kms.createAlias({ AliasName: name, TargetKeyId: targetKeyId });
      return name;
    },
    remove: async (name) => kms.deleteAlias({ AliasName: name }),
    page: async (Limit, Marker) => {
      const r = await kms.listAliases({
        Limit,
        ...(Marker === undefined ? {} : { Marker }),
        ...(filtered ? { KeyId: targetKeyId } : {}),
      });
      return { items: r.Aliases.map((a) => a.AliasName), Truncated: r.Truncated, ...(r.NextMarker === undefined ? {} : { NextMarker: r.NextMarker }) };
    },
  };
}

function tagsListing(kms: SimulatedKms, keyId: string): Listing {
  let n = 0;
  return {
    fixed: [],
    add: async () => {
      const tagKey = `t${n++}`;
      await kms.tagResource({ KeyId: keyId, Tags: [{ TagKey: tagKey, TagValue: 'v' }] });
      return tagKey;
    },
    remove: async (tagKey) => kms.untagResource({ KeyId: keyId, TagKeys: [tagKey] }),
    page: async (Limit, Marker) => {
      const r = await kms.listResourceTags({ KeyId: keyId, Limit, ...(Marker === undefined ? {} : { Marker }) });
      return { items: r.Tags.map((t) => t.TagKey), Truncated: r.Truncated, ...(r.NextMarker === undefined ? {} : { NextMarker: r.NextMarker }) };
    },
  };
}

const walkArb = (maxItems: number, maxLimit: number) =>
  fc.record({
    initial: fc.integer({ min: 0, max: maxItems }),
    limit: fc.integer({ min: 1, max: maxLimit }),
    changes: fc.array(changeArb, { maxLength: 12 }),
  });

describe('adapters/simulator/SimulatedKms — pagination (properties)', () => {
  it('ListKeys yields every key exactly once for any Limit, keys coming and going between pages', async () => {
    await fc.assert(
      fc.asyncProperty(walkArb(30, 35), async ({ initial, limit, changes }) => {
        const clock = new ManualClock();
        const kms = newKms({ clock: clock.now });
        await checkWalk(keysListing(kms, clock), initial, limit, changes);
      }),
      { numRuns: 60 },
    );
  });

  it('ListAliases (with and without KeyId) yields every alias exactly once, predefined ones included', async () => {
    await fc.assert(
      fc.asyncProperty(walkArb(30, 25), fc.boolean(), async ({ initial, limit, changes }, filtered) => {
        const kms = newKms();
        const key = await createKey(kms);
        const elsewhere = await createKey(kms);
        await kms.createAlias({ AliasName: 'alias/elsewhere', TargetKeyId: elsewhere.KeyId });
        const listing = aliasesListing(kms, key.KeyId, filtered);
        if (!filtered) listing.fixed.push('alias/elsewhere');
        await checkWalk(listing, initial, limit, changes);
      }),
      { numRuns: 60 },
    );
  });

  it('ListResourceTags yields every tag exactly once, in first-set order', async () => {
    await fc.assert(
      fc.asyncProperty(walkArb(40, 12), async ({ initial, limit, changes }) => {
        const kms = newKms();
        const key = await createKey(kms);
        await checkWalk(tagsListing(kms, key.KeyId), initial, limit, changes);
        const all = await kms.listResourceTags({ KeyId: key.KeyId });
        const seqs = all.Tags.map((t) => Number(t.TagKey.slice(1)));
        expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
      }),
      { numRuns: 60 },
    );
  });

  describe('markers', () => {
    let kms: SimulatedKms;
    let keyA: string;
    let keyB: string;
    let markers: { keys: string; aliases: string; aliasesOfA: string; tagsOfA: string };

    before(async () => {
      kms = newKms();
      keyA = (await createKey(kms)).KeyId;
      keyB = (await createKey(kms)).KeyId;
      for (let i = 0; i < 3; i++) {
        await kms.createAlias({ AliasName: `alias/a${i}`, TargetKeyId: keyA });
        await kms.tagResource({ KeyId: keyA, Tags: [{ TagKey: `a${i}`, TagValue: '' }] });
        await kms.tagResource({ KeyId: keyB, Tags: [{ TagKey: `b${i}`, TagValue: '' }] });
      }
      const next = (page: { NextMarker?: string }): string => {
        expect(page.NextMarker).to.be.a('string');
        return page.NextMarker as string;
      };
      markers = {
        keys: next(await kms.listKeys({ Limit: 1 })),
        aliases: next(await kms.listAliases({ Limit: 1 })),
        aliasesOfA: next(await kms.listAliases({ Limit: 1, KeyId: keyA })),
        tagsOfA: next(await kms.listResourceTags({ KeyId: keyA, Limit: 1 })),
      };
    });

    it('accepts a NextMarker in the listing that gave it', async () => {
      expect((await kms.listKeys({ Marker: markers.keys })).Keys).to.have.length(1);
      await kms.listAliases({ Marker: markers.aliases });
      await kms.listAliases({ Marker: markers.aliasesOfA, KeyId: keyA });
      expect((await kms.listResourceTags({ KeyId: keyA, Marker: markers.tagsOfA })).Tags).to.have.length(2);
    });

    it('refuses a marker of another listing, filter, key or engine', async () => {
      const invalid = 'InvalidMarkerException';
      await expectKmsError(kms.listAliases({ Marker: markers.keys }), invalid);
      await expectKmsError(kms.listResourceTags({ KeyId: keyA, Marker: markers.keys }), invalid);
      await expectKmsError(kms.listKeys({ Marker: markers.aliases }), invalid);
      await expectKmsError(kms.listAliases({ Marker: markers.aliases, KeyId: keyA }), invalid);
      await expectKmsError(kms.listAliases({ Marker: markers.aliasesOfA }), invalid);
      await expectKmsError(kms.listAliases({ Marker: markers.aliasesOfA, KeyId: keyB }), invalid);
      await expectKmsError(kms.listResourceTags({ KeyId: keyB, Marker: markers.tagsOfA }), invalid);
      await expectKmsError(newKms().listKeys({ Marker: markers.keys }), invalid);
    });

    it('refuses forged markers: any string, or a NextMarker with one character changed', async () => {
      const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ minLength: 1, maxLength: 200 }),
            fc
              .record({
                which: fc.constantFrom<keyof typeof markers>('keys', 'aliases', 'aliasesOfA', 'tagsOfA'),
                at: fc.nat(),
                char: fc.constantFrom(...base64url.split('')),
              })
              .map(({ which, at, char }) => {
                const original = markers[which];
                const i = at % original.length;
                return original.slice(0, i) + char + original.slice(i + 1);
              })
              .filter((m) => !Object.values(markers).includes(m)),
          ),
          async (marker) => {
            await expectKmsError(kms.listKeys({ Marker: marker }), 'InvalidMarkerException');
            await expectKmsError(kms.listAliases({ Marker: marker }), 'InvalidMarkerException');
            await expectKmsError(kms.listAliases({ Marker: marker, KeyId: keyA }), 'InvalidMarkerException');
            await expectKmsError(kms.listResourceTags({ KeyId: keyA, Marker: marker }), 'InvalidMarkerException');
          },
        ),
        { numRuns: 200 },
      );
    });

    it('checks the Marker shape before its meaning', async () => {
      await expectKmsError(kms.listKeys({ Marker: 'm'.repeat(1025) }), 'ValidationException', /at 'marker' .*less than or equal to 1024$/);
    });
  });

  describe('MarkerCodec', () => {
    it('round-trips any position in its scope only', () => {
      const codec = new MarkerCodec(new Uint8Array(32).fill(1));
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ maxLength: 20 }), (position, scope) => {
          const marker = codec.encode(scope, position);
          expect(codec.decode(scope, marker)).to.equal(position);
          expect(() => codec.decode(`${scope}x`, marker)).to.throw().with.property('name', 'InvalidMarkerException');
        }),
      );
    });
  });
});
