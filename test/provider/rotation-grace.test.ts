/**
 * Rotation that never breaks a token: jwks({ include: 'enabled' }), pre-published rotations (activate: false),
 * activateVersion (pre-published and rollback), retireVersion / reinstateVersion, and how they meet the rest —
 * version numbering, the rotation repair, destroyKey, cancelKeyDeletion, the cache, KMS Sign and jose.
 */
import { expect } from 'chai';
import {
  AwsKmsKeyProvider,
  InvalidArgumentError,
  InvalidKeyStateError,
  KeyNotFoundError,
  SimulatedKms,
  type KeySpec,
} from '../../src/index.js';
import { signToken, verifies } from '../support/provider-tokens.js';
import { rejection } from '../support/rejection.js';

const ED: KeySpec = { klass: 'asym', alg: 'ED25519' };
const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };
const AES: KeySpec = { klass: 'sym', alg: 'AES256_GCM' };
const PREFIX = 'grace';

async function tagsOf(sim: SimulatedKms, keyId: string): Promise<Record<string, string>> {
  const { Tags } = await sim.listResourceTags({ KeyId: keyId });
  return Object.fromEntries(Tags.map((t) => [t.TagKey, t.TagValue]));
}

async function target(sim: SimulatedKms, alias: string): Promise<string> {
  return (await sim.describeKey({ KeyId: `alias/${PREFIX}/${alias}` })).KeyMetadata.KeyId;
}

describe('rotation grace: pre-publish, activate, retire, reinstate, jwks({ include })', () => {
  let sim: SimulatedKms;
  let provider: AwsKmsKeyProvider;
  beforeEach(() => {
    sim = new SimulatedKms();
    provider = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: PREFIX });
  });
  const kidsOf = async (include?: 'latest' | 'enabled', p = provider): Promise<string[]> =>
    (await p.jwks(include === undefined ? undefined : { include })).keys.map((key) => key.kid);

  describe("jwks({ include: 'enabled' })", () => {
    it('publishes every Enabled version of every asymmetric kid, by kid then version; never symmetric, retired or pending ones', async () => {
      const a = await provider.createKey(ED);
      const b = await provider.createKey(EC);
      await provider.createKey(AES);
      for (let i = 0; i < 3; i++) await provider.rotateKey(a.kid);
      await provider.rotateKey(b.kid);
      await provider.retireVersion(a.kid, 2);
      await provider.destroyKey(a.kid, 3, { pendingWindowInDays: 7 });
      const expected = [`${a.kid}.1`, `${a.kid}.4`, `${b.kid}.1`, `${b.kid}.2`].sort((x, y) =>
        x.split('.')[0]! === y.split('.')[0]! ? Number(x.split('.')[1]) - Number(y.split('.')[1]) : x < y ? -1 : 1,
      );
      expect(await kidsOf('enabled')).to.deep.equal(expected);
      expect(await kidsOf('latest')).to.deep.equal([`${a.kid}.4`, `${b.kid}.2`].sort());
      expect(await kidsOf()).to.deep.equal(await kidsOf('latest'));
      const fresh = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: PREFIX });
      expect(await kidsOf('enabled', fresh)).to.deep.equal(expected);
      expect((await provider.jwks({ include: 'enabled', prefixKids: b.kid })).keys.map((k) => k.kid)).to.deep.equal([
        `${b.kid}.1`,
        `${b.kid}.2`,
      ]);
    });

    it('versions sort numerically (v10 after v9)', async () => {
      const a = await provider.createKey(ED);
      for (let i = 0; i < 10; i++) await provider.rotateKey(a.kid);
      expect(await kidsOf('enabled')).to.deep.equal(Array.from({ length: 11 }, (_, i) => `${a.kid}.${i + 1}`));
    });

    it('an include other than latest or enabled is InvalidArgumentError naming both, before any KMS call', async () => {
      for (const include of ['all', '', 1, null, 'Enabled']) {
        const error = await rejection(provider.jwks({ include } as never));
        expect(error).to.be.instanceOf(InvalidArgumentError);
        expect(error.message).to.match(/^options\.include must be one of latest, enabled; got /);
      }
    });
  });

  describe('rotateKey(kid, { activate: false })', () => {
    it('publishes the next version without moving the latest alias; the number is recorded on the latest key', async () => {
      const ref = await provider.createKey(ED);
      const pre = await provider.rotateKey(ref.kid, { activate: false });
      expect(pre.version).to.equal(2);
      expect((await provider.getKey(ref.kid)).version, 'the latest stays').to.equal(1);
      expect((await provider.signingKey(ref.kid)).version).to.equal(1);
      expect(await target(sim, ref.kid)).to.equal(await target(sim, `${ref.kid}/v1`));
      expect(await kidsOf('enabled')).to.deep.equal([`${ref.kid}.1`, `${ref.kid}.2`]);
      expect(await kidsOf('latest')).to.deep.equal([`${ref.kid}.1`]);
      expect((await tagsOf(sim, ref.tags['kms:key_id']!))['saur:max_version']).to.equal('2');
      // A following normal rotation takes the next number, never 2 again.
      expect((await provider.rotateKey(ref.kid)).version).to.equal(3);
      expect(await provider.listVersions(ref.kid)).to.deep.equal([1, 2, 3]);
    });

    it('two pre-published rotations in a row take distinct numbers; activate must be a boolean', async () => {
      const ref = await provider.createKey(EC);
      expect((await provider.rotateKey(ref.kid, { activate: false })).version).to.equal(2);
      expect((await provider.rotateKey(ref.kid, { activate: false })).version).to.equal(3);
      expect((await provider.getKey(ref.kid)).version).to.equal(1);
      const error = await rejection(provider.rotateKey(ref.kid, { activate: 'no' } as never));
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect(error.message).to.include('overrides.activate must be a boolean');
      expect((await rejection(provider.rotateKey(ref.kid, { activte: false } as never))).message).to.include(
        '(allowed: sizeBits, label, activate)',
      );
    });

    it('the repair passes over a pre-published version above it (and records its number on the new latest)', async () => {
      // The state a race leaves: a normal rotation numbered 2 while a pre-published version holds /v3.
      const ref = await provider.createKey(ED);
      const pre = await provider.rotateKey(ref.kid, { activate: false }); // /v2
      const preKey = pre.tags['kms:key_id']!;
      await sim.deleteAlias({ AliasName: `alias/${PREFIX}/${ref.kid}/v2` });
      await sim.createAlias({ AliasName: `alias/${PREFIX}/${ref.kid}/v3`, TargetKeyId: preKey });
      await sim.tagResource({ KeyId: preKey, Tags: [{ TagKey: 'saur:version', TagValue: '3' }] });
      await sim.untagResource({ KeyId: ref.tags['kms:key_id']!, TagKeys: ['saur:max_version'] });
      const other = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: PREFIX });
      const v2 = await other.rotateKey(ref.kid);
      expect(v2.version).to.equal(2);
      expect(await target(sim, ref.kid), 'the latest stays on v2, not the pre-published v3').to.equal(v2.tags['kms:key_id']);
      expect((await tagsOf(sim, v2.tags['kms:key_id']!))['saur:max_version']).to.equal('3');
      expect((await other.rotateKey(ref.kid)).version, 'no number reused').to.equal(4);
    });

    it('concurrent normal and pre-published rotations: distinct numbers, and the latest never on an unactivated version', async () => {
      const ref = await provider.createKey(ED);
      const providers = [0, 1, 2].map(() => new AwsKmsKeyProvider({ kms: sim, aliasPrefix: PREFIX }));
      const prePublished = new Set<number>();
      const all = new Set<number>([1]);
      for (let round = 0; round < 4; round++) {
        const results = await Promise.all([
          providers[0]!.rotateKey(ref.kid, { activate: false }),
          providers[1]!.rotateKey(ref.kid),
          providers[2]!.rotateKey(ref.kid, { activate: round % 2 === 0 }),
        ]);
        results.forEach((r, i) => {
          expect(all.has(r.version), `version ${r.version} handed out twice`).to.equal(false);
          all.add(r.version);
          if (i === 0 || (i === 2 && round % 2 !== 0)) prePublished.add(r.version);
        });
        const latest = (await new AwsKmsKeyProvider({ kms: sim, aliasPrefix: PREFIX }).getKey(ref.kid)).version;
        expect(prePublished.has(latest), `latest v${latest} is pre-published`).to.equal(false);
      }
      const next = await provider.rotateKey(ref.kid);
      expect(next.version).to.equal(Math.max(...all) + 1);
    });
  });

  describe('activateVersion(kid, version)', () => {
    it('makes a pre-published version the latest: it signs, and the token verifies with the JWKS fetched before', async () => {
      const ref = await provider.createKey(ED);
      const old = await signToken(provider, ref.kid, { n: 1 });
      await provider.rotateKey(ref.kid, { activate: false });
      const before = await provider.jwks({ include: 'enabled' });
      const activated = await provider.activateVersion(ref.kid, 2);
      expect([activated.kid, activated.version]).to.deep.equal([ref.kid, 2]);
      const fresh = await signToken(provider, ref.kid, { n: 2 });
      expect(fresh.version).to.equal(2);
      expect(await verifies(fresh.token, before), 'verifiers knew v2 before it signed').to.equal(true);
      expect(await verifies(old.token, await provider.jwks({ include: 'enabled' }))).to.equal(true);
      expect(await verifies(old.token, await provider.jwks()), 'the latest-only JWKS breaks old tokens').to.equal(false);
      expect(await target(sim, ref.kid)).to.equal(activated.tags['kms:key_id']);
      expect((await provider.activateVersion(ref.kid, 2)).version, 'activating the latest changes nothing').to.equal(2);
    });

    it('rolls back to an older version, tagging it saur:max_version so no number is reused', async () => {
      const ref = await provider.createKey(EC);
      await provider.rotateKey(ref.kid);
      await provider.rotateKey(ref.kid);
      const back = await provider.activateVersion(ref.kid, 1);
      expect(back.version).to.equal(1);
      expect((await provider.getKey(ref.kid)).version).to.equal(1);
      expect((await tagsOf(sim, back.tags['kms:key_id']!))['saur:max_version']).to.equal('3');
      expect(await kidsOf('enabled'), 'the versions it left stay published').to.have.length(3);
      expect((await provider.rotateKey(ref.kid)).version).to.equal(4);
    });

    it('refuses unknown, retired and pending versions with typed errors naming the way back', async () => {
      const ref = await provider.createKey(ED);
      await provider.rotateKey(ref.kid);
      await provider.rotateKey(ref.kid);
      await provider.retireVersion(ref.kid, 1);
      await provider.destroyKey(ref.kid, 2, { pendingWindowInDays: 7 });
      const retired = await rejection(provider.activateVersion(ref.kid, 1));
      expect(retired).to.be.instanceOf(InvalidKeyStateError);
      expect(retired.message).to.equal(
        `Version 1 of kid ${ref.kid} is retired (disabled): reinstateVersion(kid, 1) enables it again, then activate it`,
      );
      const pending = await rejection(provider.activateVersion(ref.kid, 2));
      expect(pending).to.be.instanceOf(InvalidKeyStateError);
      expect(pending.message).to.match(new RegExp(`^Version 2 of kid ${ref.kid} is pending deletion \\(deletion date .*\\): cancelKeyDeletion\\(kid, 2\\) restores it first$`));
      const unknown = await rejection(provider.activateVersion(ref.kid, 9));
      expect(unknown).to.be.instanceOf(KeyNotFoundError);
      expect(unknown.message).to.equal(`Unknown version 9 of kid ${ref.kid}`);
      expect((await rejection(provider.activateVersion('0123456789abcdef', 1))).message).to.equal('Unknown kid: 0123456789abcdef');
      for (const version of [0, 1.5, '1', -1]) {
        expect(await rejection(provider.activateVersion(ref.kid, version as never))).to.be.instanceOf(InvalidArgumentError);
      }
      expect((await provider.getKey(ref.kid)).version, 'nothing moved').to.equal(3);
    });
  });

  describe('retireVersion / reinstateVersion', () => {
    it('retiring removes a version from every JWKS of this provider at once, others within their TTL; reinstating brings it back', async () => {
      let now = 0;
      const other = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: PREFIX, cache: { ttlMs: 1_000, now: () => now } });
      const ref = await provider.createKey(ED);
      const token = await signToken(provider, ref.kid, { n: 1 });
      await provider.rotateKey(ref.kid);
      expect(await kidsOf('enabled', other)).to.deep.equal([`${ref.kid}.1`, `${ref.kid}.2`]);
      await provider.retireVersion(ref.kid, 1);
      expect(await kidsOf('enabled')).to.deep.equal([`${ref.kid}.2`]);
      expect(await verifies(token.token, await provider.jwks({ include: 'enabled' }))).to.equal(false);
      expect(await kidsOf('enabled', other), 'another provider within its TTL').to.deep.equal([`${ref.kid}.1`, `${ref.kid}.2`]);
      now += 1_001;
      expect(await kidsOf('enabled', other), 'after its TTL').to.deep.equal([`${ref.kid}.2`]);
      expect((await sim.describeKey({ KeyId: `alias/${PREFIX}/${ref.kid}/v1` })).KeyMetadata.KeyState).to.equal('Disabled');
      expect(await rejection(provider.getKey(ref.kid, 1))).to.be.instanceOf(InvalidKeyStateError);
      await provider.retireVersion(ref.kid, 1); // already retired: nothing changes
      await provider.reinstateVersion(ref.kid, 1);
      expect(await kidsOf('enabled')).to.deep.equal([`${ref.kid}.1`, `${ref.kid}.2`]);
      expect(await verifies(token.token, await provider.jwks({ include: 'enabled' }))).to.equal(true);
      expect((await provider.getKey(ref.kid)).version, 'reinstating never moves the latest').to.equal(2);
      await provider.reinstateVersion(ref.kid, 1); // already Enabled: nothing changes
    });

    it('refuses to retire the latest, naming the fix; refuses pending versions; unknown ones are KeyNotFoundError', async () => {
      const ref = await provider.createKey(ED);
      await provider.rotateKey(ref.kid);
      const latest = await rejection(provider.retireVersion(ref.kid, 2));
      expect(latest).to.be.instanceOf(InvalidKeyStateError);
      expect(latest.message).to.equal(
        `Version 2 of kid ${ref.kid} is the latest (it signs): activateVersion(kid, <another version>) or rotateKey(kid) first, then retire it`,
      );
      await provider.destroyKey(ref.kid, 1, { pendingWindowInDays: 7 });
      for (const call of [provider.retireVersion(ref.kid, 1), provider.reinstateVersion(ref.kid, 1)]) {
        const error = await rejection(call);
        expect(error).to.be.instanceOf(InvalidKeyStateError);
        expect(error.message).to.include('cancelKeyDeletion(kid, 1) restores it first');
      }
      expect(await rejection(provider.retireVersion(ref.kid, 7))).to.be.instanceOf(KeyNotFoundError);
      expect(await rejection(provider.reinstateVersion(ref.kid, 7))).to.be.instanceOf(KeyNotFoundError);
      expect((await rejection(provider.reinstateVersion('0123456789abcdef', 1))).message).to.equal('Unknown kid: 0123456789abcdef');
    });

    it('a retired version can still be destroyed, and cancelKeyDeletion brings it back Enabled', async () => {
      const ref = await provider.createKey(ED);
      await provider.rotateKey(ref.kid);
      await provider.retireVersion(ref.kid, 1);
      expect(await provider.destroyKey(ref.kid, 1, { pendingWindowInDays: 7 })).to.equal(true);
      expect((await sim.describeKey({ KeyId: `alias/${PREFIX}/${ref.kid}/v1` })).KeyMetadata.KeyState).to.equal('PendingDeletion');
      expect(await provider.cancelKeyDeletion(ref.kid, 1)).to.deep.equal([1]);
      expect(await kidsOf('enabled')).to.deep.equal([`${ref.kid}.1`, `${ref.kid}.2`]);
      expect((await provider.getKey(ref.kid)).version).to.equal(2);
    });

    it('destroying the latest moves the alias to the highest Enabled version below, past retired ones', async () => {
      const ref = await provider.createKey(ED);
      await provider.rotateKey(ref.kid);
      await provider.rotateKey(ref.kid);
      await provider.retireVersion(ref.kid, 2);
      await provider.destroyKey(ref.kid, 3, { pendingWindowInDays: 7 });
      expect((await provider.getKey(ref.kid)).version).to.equal(1);
      expect((await provider.signingKey(ref.kid)).version).to.equal(1);
    });
  });

  it('cancelKeyDeletion never makes a pre-published version the latest', async () => {
    const ref = await provider.createKey(ED);
    await provider.rotateKey(ref.kid); // v2, the latest
    await provider.rotateKey(ref.kid, { activate: false }); // v3, pre-published
    await provider.destroyKey(ref.kid, 3, { pendingWindowInDays: 7 });
    await provider.destroyKey(ref.kid, 1, { pendingWindowInDays: 7 });
    expect(await provider.cancelKeyDeletion(ref.kid)).to.deep.equal([1, 3]);
    expect((await provider.getKey(ref.kid)).version).to.equal(2);
    expect(await kidsOf('enabled')).to.deep.equal([1, 2, 3].map((v) => `${ref.kid}.${v}`));
  });
});
