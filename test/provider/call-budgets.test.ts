/**
 * Call budgets: how many KMS requests each provider method makes, counted through the instrumented KmsPort the
 * provider calls, in an account with over 1 000 aliases under other prefixes — so that any scan of the account
 * shows — and again after 500 more, to prove no per-kid method depends on the account's size A. The README's
 * "KMS requests per call" table states the same numbers and why each is the least the KMS API allows.
 */
import { expect } from 'chai';
import { AwsKmsKeyProvider, KmsJwtSigner, SimulatedKms, type KeySpec } from '../../src/index.js';
import { instrument, type InstrumentedKms, type KmsOperation } from '../support/instrumented-kms.js';

const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };
const PSS: KeySpec = { klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 };
const AES: KeySpec = { klass: 'sym', alg: 'AES256_GCM' };
const PREFIX = 'budget';

/** Adds `count` aliases under another prefix, 40 per symmetric key (KMS allows 50 a key). */
async function addForeignAliases(sim: SimulatedKms, count: number, tag: string): Promise<void> {
  let keyId = '';
  for (let i = 0; i < count; i++) {
    if (i % 40 === 0) keyId = (await sim.createKey({})).KeyMetadata.KeyId;
    await sim.createAlias({ AliasName: `alias/other-${tag}/${String(i).padStart(5, '0')}`, TargetKeyId: keyId });
  }
}

/** Every alias in the account (what a full ListAliases scan pages through). */
async function aliasCount(sim: SimulatedKms): Promise<number> {
  let count = 0;
  let marker: string | undefined;
  do {
    const page = await sim.listAliases({ Limit: 100, ...(marker ? { Marker: marker } : {}) });
    count += page.Aliases.length;
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return count;
}

/** The requests `call` makes: operation → count, and the total. */
async function counted(kms: InstrumentedKms, call: () => Promise<unknown>): Promise<{ total: number; by: Partial<Record<KmsOperation, number>> }> {
  kms.reset();
  await call();
  const by: Partial<Record<KmsOperation, number>> = {};
  for (const op of kms.operations()) by[op] = (by[op] ?? 0) + 1;
  return { total: kms.calls.length, by };
}

describe('call budgets: KMS requests per provider call, independent of the account size', function () {
  this.timeout(120_000);
  let sim: SimulatedKms;
  let kms: InstrumentedKms;
  const provider = (): AwsKmsKeyProvider => new AwsKmsKeyProvider({ kms: kms.kms, aliasPrefix: PREFIX });

  before(async () => {
    sim = new SimulatedKms();
    kms = instrument(sim);
    await addForeignAliases(sim, 1_000, 'a');
  });

  /** Runs `measure` at the current account size and again after 500 more foreign aliases: same counts. */
  async function atTwoSizes<T>(measure: () => Promise<T>): Promise<T> {
    const small = await measure();
    await addForeignAliases(sim, 500, `b${Math.random().toString(36).slice(2, 8)}`);
    const large = await measure();
    expect(large, 'the same requests with 500 more aliases in the account').to.deep.equal(small);
    return small;
  }

  it('KmsJwtSigner.signJwt: cold DescribeKey + ListResourceTags + Sign; warm (within the TTL) Sign only', async () => {
    const ref = await provider().createKey(EC);
    const signer = (): KmsJwtSigner => new KmsJwtSigner({ provider: provider() });
    const cold = await atTwoSizes(() => counted(kms, () => signer().signJwt(ref.kid, { sub: 'a' }, { expiresIn: 60 })));
    expect(cold.by).to.deep.equal({ describeKey: 1, listResourceTags: 1, sign: 1 });
    const warmSigner = signer();
    await warmSigner.signJwt(ref.kid, { sub: 'a' }, { expiresIn: 60 });
    const warm = await counted(kms, () => warmSigner.signJwt(ref.kid, { sub: 'b' }, { expiresIn: 60 }));
    expect(warm.by).to.deep.equal({ sign: 1 });
  });

  it('createKey: CreateKey, GetPublicKey, CreateAlias /v1, CreateAlias latest (4 ≤ 5); symmetric 3', async () => {
    const asym = await atTwoSizes(() => counted(kms, () => provider().createKey(EC)));
    expect(asym.by).to.deep.equal({ createKey: 1, getPublicKey: 1, createAlias: 2 });
    expect(asym.total).to.be.at.most(5);
    const sym = await counted(kms, () => provider().createKey(AES));
    expect(sym.by).to.deep.equal({ createKey: 1, createAlias: 2 });
  });

  it('rotateKey: DescribeKey, ListResourceTags, CreateKey, GetPublicKey, CreateAlias /vN, UpdateAlias, DescribeKey /vN+1 (7 ≤ 7)', async () => {
    const ref = await provider().createKey(PSS);
    const rotation = await atTwoSizes(() => counted(kms, () => provider().rotateKey(ref.kid)));
    expect(rotation.by).to.deep.equal({
      describeKey: 2,
      listResourceTags: 1,
      createKey: 1,
      getPublicKey: 1,
      createAlias: 1,
      updateAlias: 1,
    });
    expect(rotation.total).to.be.at.most(7);
    // A warm provider rotates with the same requests: rotation never trusts the cache to number a version.
    const warm = provider();
    await warm.getKey(ref.kid);
    expect((await counted(kms, () => warm.rotateKey(ref.kid))).total).to.equal(rotation.total);
  });

  it('getKey / getPublicJwk: cold DescribeKey + ListResourceTags + GetPublicKey (3), warm none', async () => {
    const ref = await provider().createKey(EC);
    await provider().rotateKey(ref.kid);
    for (const version of [undefined, 1]) {
      const cold = await atTwoSizes(() => counted(kms, () => provider().getKey(ref.kid, version)));
      expect(cold.by).to.deep.equal({ describeKey: 1, listResourceTags: 1, getPublicKey: 1 });
      const jwk = await counted(kms, () => provider().getPublicJwk(ref.kid, version));
      expect(jwk.by).to.deep.equal({ describeKey: 1, listResourceTags: 1, getPublicKey: 1 });
      const same = provider();
      await same.getKey(ref.kid, version);
      expect((await counted(kms, () => same.getKey(ref.kid, version))).total, 'warm getKey').to.equal(0);
      expect((await counted(kms, () => same.getPublicJwk(ref.kid, version))).total, 'warm getPublicJwk').to.equal(0);
    }
    // A symmetric kid: no GetPublicKey.
    const aes = await provider().createKey(AES);
    expect((await counted(kms, () => provider().getKey(aes.kid))).by).to.deep.equal({ describeKey: 1, listResourceTags: 1 });
  });

  it('jwks: cold = the ListAliases pages + one GetPublicKey per kid (+ ListResourceTags per RSA signing kid), nothing else; warm = the pages only', async () => {
    const local = new SimulatedKms();
    const counting = instrument(local);
    await addForeignAliases(local, 1_000, 'a');
    const make = (): AwsKmsKeyProvider => new AwsKmsKeyProvider({ kms: counting.kms, aliasPrefix: PREFIX });
    const kids: string[] = [];
    for (let i = 0; i < 12; i++) kids.push((await make().createKey(i % 3 === 2 ? PSS : EC)).kid);
    for (const kid of kids.slice(0, 4)) await make().rotateKey(kid); // a few kids with two versions
    await make().createKey(AES); // a symmetric kid: one GetPublicKey tells, never published
    const pages = Math.ceil((await aliasCount(local)) / 100);
    const provider = make();
    const cold = await counted(counting, () => provider.jwks());
    // An RSA SIGN_VERIFY key may be PS256…RS512: its saur:alg tag says which (read once, cached forever).
    expect(cold.by).to.deep.equal({ listAliases: pages, getPublicKey: kids.length + 1, listResourceTags: 4 });
    const warm = await counted(counting, () => provider.jwks());
    expect(warm.by).to.deep.equal({ listAliases: pages });
    expect((await provider.jwks()).keys).to.have.length(kids.length);
  });

  it("jwks({ include: 'enabled' }): cold = the ListAliases pages + one GetPublicKey per version (+ ListResourceTags per RSA signing version); warm = the pages only", async () => {
    const local = new SimulatedKms();
    const counting = instrument(local);
    await addForeignAliases(local, 1_000, 'a');
    const make = (): AwsKmsKeyProvider => new AwsKmsKeyProvider({ kms: counting.kms, aliasPrefix: PREFIX });
    const kids: string[] = [];
    for (let i = 0; i < 6; i++) kids.push((await make().createKey(i % 3 === 2 ? PSS : EC)).kid);
    for (const kid of kids.slice(0, 3)) await make().rotateKey(kid); // EC, EC, PSS with two versions: 9 versions, 3 RSA
    await make().rotateKey(kids[0]!, { activate: false }); // a pre-published EC version: 10
    await make().retireVersion(kids[1]!, 1); // retired: GetPublicKey refuses it, never published
    const pages = Math.ceil((await aliasCount(local)) / 100);
    const provider = make();
    const cold = await counted(counting, () => provider.jwks({ include: 'enabled' }));
    expect(cold.by).to.deep.equal({ listAliases: pages, getPublicKey: 10, listResourceTags: 3 });
    const warm = await counted(counting, () => provider.jwks({ include: 'enabled' }));
    expect(warm.by).to.deep.equal({ listAliases: pages });
    expect((await provider.jwks({ include: 'enabled' })).keys).to.have.length(9);
  });

  it('rotateKey(kid, { activate: false }): DescribeKey, ListResourceTags, CreateKey, GetPublicKey, CreateAlias /vN, TagResource saur:max_version (6)', async () => {
    const ref = await provider().createKey(EC);
    const pre = await atTwoSizes(() => counted(kms, () => provider().rotateKey(ref.kid, { activate: false })));
    expect(pre.by).to.deep.equal({ describeKey: 1, listResourceTags: 1, createKey: 1, getPublicKey: 1, createAlias: 1, tagResource: 1 });
  });

  it('activateVersion: DescribeKey ×2, ListResourceTags of the latest, UpdateAlias (+ TagResource for a rollback; + the KeyRef\'s ListResourceTags and GetPublicKey when cold): 4–7', async () => {
    const ref = await provider().createKey(EC);
    const warm = provider();
    const pre = await warm.rotateKey(ref.kid, { activate: false });
    const byWarm = await counted(kms, () => warm.activateVersion(ref.kid, pre.version));
    expect(byWarm.by).to.deep.equal({ describeKey: 2, listResourceTags: 1, updateAlias: 1 });
    const rollback = await atTwoSizes(async () => {
      await provider().activateVersion(ref.kid, pre.version);
      return counted(kms, () => provider().activateVersion(ref.kid, 1));
    });
    expect(rollback.by).to.deep.equal({ describeKey: 2, listResourceTags: 2, tagResource: 1, updateAlias: 1, getPublicKey: 1 });
    const again = await counted(kms, () => provider().activateVersion(ref.kid, 1)); // the latest already: no write
    expect(again.by).to.deep.equal({ describeKey: 2, listResourceTags: 1, getPublicKey: 1 });
    const next = await provider().rotateKey(ref.kid, { activate: false });
    const cold = await counted(kms, () => provider().activateVersion(ref.kid, next.version)); // the highest: no TagResource
    expect(cold.by).to.deep.equal({ describeKey: 2, listResourceTags: 2, updateAlias: 1, getPublicKey: 1 });
    const same = provider();
    await same.activateVersion(ref.kid, next.version);
    expect((await counted(kms, () => same.activateVersion(ref.kid, next.version))).by, 'warm, the latest already').to.deep.equal({ describeKey: 2 });
  });

  it('retireVersion / reinstateVersion: DescribeKey ×2 + DisableKey / EnableKey (3); 2 when nothing changes', async () => {
    const ref = await provider().createKey(EC);
    await provider().rotateKey(ref.kid);
    expect((await atTwoSizes(async () => {
      const result = await counted(kms, () => provider().retireVersion(ref.kid, 1));
      await provider().reinstateVersion(ref.kid, 1);
      return result;
    })).by).to.deep.equal({ describeKey: 2, disableKey: 1 });
    await provider().retireVersion(ref.kid, 1);
    expect((await counted(kms, () => provider().retireVersion(ref.kid, 1))).by).to.deep.equal({ describeKey: 2 });
    expect((await counted(kms, () => provider().reinstateVersion(ref.kid, 1))).by).to.deep.equal({ describeKey: 2, enableKey: 1 });
    expect((await counted(kms, () => provider().reinstateVersion(ref.kid, 1))).by).to.deep.equal({ describeKey: 2 });
  });

  it('listVersions: DescribeKey + ListResourceTags of the latest, DescribeKey of each /vN (2 + N)', async () => {
    const ref = await provider().createKey(EC);
    for (let i = 0; i < 3; i++) await provider().rotateKey(ref.kid);
    const listing = await atTwoSizes(() => counted(kms, () => provider().listVersions(ref.kid)));
    expect(listing.by).to.deep.equal({ describeKey: 1 + 4, listResourceTags: 1 });
    expect(await provider().listVersions(ref.kid)).to.deep.equal([1, 2, 3, 4]);
  });

  it('destroyKey of a version: 3 requests, 7 when it is the latest; of a kid: 2 + 2N', async () => {
    const ref = await provider().createKey(EC);
    await provider().rotateKey(ref.kid);
    await provider().rotateKey(ref.kid);
    const older = await counted(kms, () => provider().destroyKey(ref.kid, 1));
    expect(older.by).to.deep.equal({ describeKey: 2, scheduleKeyDeletion: 1 });
    const latest = await counted(kms, () => provider().destroyKey(ref.kid, 3));
    expect(latest.by).to.deep.equal({ describeKey: 3, listResourceTags: 1, tagResource: 1, updateAlias: 1, scheduleKeyDeletion: 1 });
    expect((await provider().getKey(ref.kid)).version).to.equal(2);

    const sizes = await atTwoSizes(async () => {
      const kid = (await provider().createKey(EC)).kid;
      await provider().rotateKey(kid);
      await provider().rotateKey(kid);
      return counted(kms, () => provider().destroyKey(kid));
    });
    expect(sizes.by).to.deep.equal({ describeKey: 1 + 3, listResourceTags: 1, scheduleKeyDeletion: 3 });
  });
});
