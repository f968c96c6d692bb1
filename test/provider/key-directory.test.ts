/**
 * KeyDirectory's building blocks: the one pagination helper every KMS listing goes through, and the alias
 * index read over many pages.
 */
import { expect } from 'chai';
import { SimulatedKms } from '../../src/index.js';
import { KeyDirectory, versionTargets } from '../../src/provider/key-directory.js';
import { paginate, type ListingPage } from '../../src/provider/paginate.js';
import { ProviderCache } from '../../src/provider/provider-cache.js';
import { instrument } from '../support/instrumented-kms.js';

interface NumberPage extends ListingPage {
  Items: number[];
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('KeyDirectory', () => {
  describe('paginate', () => {
    it('asks for the first page without a Marker, then follows NextMarker while Truncated', async () => {
      const pages: Record<string, NumberPage> = {
        first: { Items: [1, 2], NextMarker: 'm1', Truncated: true },
        m1: { Items: [], NextMarker: 'm2', Truncated: true }, // an empty page in the middle is not the end
        m2: { Items: [3], Truncated: false },
      };
      const requests: Array<{ Marker?: string }> = [];
      const items = await collect(
        paginate(
          async (next: { Marker?: string }) => {
            requests.push(next);
            return pages[next.Marker ?? 'first']!;
          },
          (page) => page.Items,
        ),
      );
      expect(items).to.deep.equal([1, 2, 3]);
      expect(requests).to.deep.equal([{}, { Marker: 'm1' }, { Marker: 'm2' }]);
      expect(Object.hasOwn(requests[0]!, 'Marker'), 'no Marker member on the first request').to.equal(false);
    });

    it('stops at a page that is not Truncated, whatever NextMarker says; a Truncated page without NextMarker ends it', async () => {
      let calls = 0;
      const one = await collect(
        paginate(
          async () => {
            calls++;
            return { Items: [7], NextMarker: 'ignored', Truncated: false };
          },
          (page: NumberPage) => page.Items,
        ),
      );
      expect([one, calls]).to.deep.equal([[7], 1]);
      const truncatedWithoutMarker = await collect(
        paginate(async () => ({ Items: [8], Truncated: true }), (page: NumberPage) => page.Items),
      );
      expect(truncatedWithoutMarker).to.deep.equal([8]);
    });

    it('is lazy: a consumer that stops early fetches no further page', async () => {
      let calls = 0;
      for await (const item of paginate(
        async () => {
          calls++;
          return { Items: [calls], NextMarker: 'more', Truncated: true };
        },
        (page: NumberPage) => page.Items,
      )) {
        if (item === 2) break;
      }
      expect(calls).to.equal(2);
    });
  });

  it('the alias index reads every ListAliases page (Limit 100) and keeps only kids under its prefix', async () => {
    const sim = new SimulatedKms();
    const kms = instrument(sim);
    const kids = Array.from({ length: 120 }, (_, i) => i.toString(16).padStart(16, '0'));
    // KMS allows 50 aliases per key: spread them over three keys.
    const keys = await Promise.all([0, 1, 2].map(async () => (await sim.createKey({})).KeyMetadata.KeyId));
    const keyOf = (i: number): string => keys[i % keys.length]!;
    for (const [i, kid] of kids.entries()) await sim.createAlias({ AliasName: `alias/dir/${kid}/v1`, TargetKeyId: keyOf(i) });
    await sim.createAlias({ AliasName: `alias/dir/${kids[0]}`, TargetKeyId: keyOf(1) });
    await sim.createAlias({ AliasName: 'alias/other/0000000000000000', TargetKeyId: keyOf(2) });
    const index = await new KeyDirectory(kms.kms, 'dir', new ProviderCache(undefined), 8).aliasIndex();
    expect([...index.keys()].sort()).to.deep.equal(kids);
    expect(index.get(kids[0]!)).to.deep.equal({ latest: keyOf(1), versions: new Map([[1, keyOf(0)]]) });
    expect(index.get(kids[1]!)).to.deep.equal({ versions: new Map([[1, keyOf(1)]]) });
    const requests = kms.calls.filter((c) => c.operation === 'listAliases').map((c) => c.input);
    expect(requests.length).to.be.greaterThan(1);
    expect(requests[0]).to.deep.equal({ Limit: 100 });
    expect(requests.slice(1).every((r) => r.Limit === 100 && typeof r.Marker === 'string')).to.equal(true);
  });

  it('versionTargets: a kid with only a latest alias is version 1', () => {
    expect(versionTargets({ latest: 'k', versions: new Map() })).to.deep.equal(new Map([[1, 'k']]));
    expect(versionTargets({ versions: new Map([[2, 'b']]) })).to.deep.equal(new Map([[2, 'b']]));
    expect(versionTargets({ versions: new Map() })).to.deep.equal(new Map());
  });
});
