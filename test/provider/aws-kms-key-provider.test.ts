import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  AwsKmsKeyProvider,
  ConflictError,
  InvalidArgumentError,
  InvalidKeyStateError,
  KeyNotFoundError,
  KmsError,
  SimulatedKms,
  UnsupportedAlgorithmError,
  UnsupportedOperationError,
  type KeyRef,
  type KeySpec,
} from '../../src/index.js';
import { instrument, type InstrumentedKms } from '../support/instrumented-kms.js';
import { SUPPORTED_ALGS } from '../../src/domain/spec-mapping.js';

const DAY = 86_400_000;
const PSS: KeySpec = { klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 };
const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };
const AES: KeySpec = { klass: 'sym', alg: 'AES256_GCM' };

/**
 * A simulator with a clock the test moves, wrapped to record calls and inject faults. Retries are off: an injected
 * fault is the failure of the call (retries are tested in retries.test.ts).
 */
function setup(options: { aliasPrefix?: string; pendingWindowInDays?: number } = {}) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const sim = new SimulatedKms({ clock: () => new Date(now) });
  const kms = instrument(sim);
  const provider = new AwsKmsKeyProvider({ kms: kms.kms, retry: false, ...options });
  return {
    sim,
    kms,
    provider,
    /** Another provider over the same KMS, with nothing cached: what a process that did not make the change sees. */
    fresh: () => new AwsKmsKeyProvider({ kms: kms.kms, retry: false, ...options }),
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

async function aliasTargets(sim: SimulatedKms, prefix = 'swarmauri'): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await sim.listAliases({ Limit: 100, ...(marker ? { Marker: marker } : {}) });
    for (const a of page.Aliases) if (a.AliasName.startsWith(`alias/${prefix}/`) && a.TargetKeyId) out.set(a.AliasName, a.TargetKeyId);
    marker = page.NextMarker;
  } while (marker);
  return out;
}

async function kmsTags(sim: SimulatedKms, keyId: string): Promise<Record<string, string>> {
  const { Tags } = await sim.listResourceTags({ KeyId: keyId });
  return Object.fromEntries(Tags.map((t) => [t.TagKey, t.TagValue]));
}

/** Expect a call to reject with a typed error and to have made no KMS call. */
async function rejectsWithoutCalls(
  kms: InstrumentedKms,
  call: () => Promise<unknown>,
  Class: new (...args: never[]) => Error,
  message?: RegExp,
): Promise<void> {
  kms.reset();
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, 'should have thrown').to.be.instanceOf(Class);
  if (message) expect((error as Error).message).to.match(message);
  expect(kms.operations(), 'KMS calls made for a bad argument').to.deep.equal([]);
}

describe('AwsKmsKeyProvider over SimulatedKms', () => {
  describe('construction', () => {
    it('defaults: prefix swarmauri, 30-day window; prefix trimmed', () => {
      const kms = new SimulatedKms();
      const p = new AwsKmsKeyProvider({ kms });
      expect(p.aliasPrefix).to.equal('swarmauri');
      expect(p.pendingWindowInDays).to.equal(30);
      expect(new AwsKmsKeyProvider({ kms, aliasPrefix: '/team/prod/' }).aliasPrefix).to.equal('team/prod');
    });

    it('refuses bad options with typed errors', () => {
      const kms = new SimulatedKms();
      expect(() => new AwsKmsKeyProvider(undefined as never)).to.throw(InvalidArgumentError, /options must be an object/);
      const saved = [process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION];
      delete process.env.AWS_REGION; // without kms and without a Region there is nothing to talk to
      delete process.env.AWS_DEFAULT_REGION;
      try {
        expect(() => new AwsKmsKeyProvider({} as never)).to.throw(InvalidArgumentError, /options.kms must be a KmsPort/);
      } finally {
        if (saved[0] !== undefined) process.env.AWS_REGION = saved[0];
        if (saved[1] !== undefined) process.env.AWS_DEFAULT_REGION = saved[1];
      }
      expect(() => new AwsKmsKeyProvider({ kms: {} as never })).to.throw(InvalidArgumentError, /has no createKey/);
      expect(() => new AwsKmsKeyProvider({ kms, aliasPrefix: 'aws' })).to.throw(InvalidArgumentError, /reserved/);
      expect(() => new AwsKmsKeyProvider({ kms, aliasPrefix: 'a b' })).to.throw(InvalidArgumentError, /aliasPrefix/);
      expect(() => new AwsKmsKeyProvider({ kms, pendingWindowInDays: 6 })).to.throw(InvalidArgumentError, /7 to 30/);
      expect(() => new AwsKmsKeyProvider({ kms, keyPolicy: '{not json' })).to.throw(InvalidArgumentError, /JSON/);
      expect(() => new AwsKmsKeyProvider({ kms, keyPolicy: 5 as never })).to.throw(InvalidArgumentError, /keyPolicy/);
      expect(() => new AwsKmsKeyProvider({ kms, getRandomValues: 5 as never })).to.throw(InvalidArgumentError, /getRandomValues/);
    });

    it('keyPolicy: an object is serialised, a string passed as is', async () => {
      const root = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
      const policy = { Version: '2012-10-17', Statement: [root] };
      for (const keyPolicy of [policy, JSON.stringify(policy)]) {
        const kms = instrument(new SimulatedKms());
        await new AwsKmsKeyProvider({ kms: kms.kms, keyPolicy }).createKey(EC);
        expect(kms.calls.find((c) => c.operation === 'createKey')!.input.Policy).to.equal(JSON.stringify(policy));
      }
    });
  });

  describe('createKey', () => {
    it('RSA-PSS: KMS key, /v1 and latest aliases, saur tags in order, KeyRef per the contract', async () => {
      const { sim, kms, provider } = setup();
      const ref = await provider.createKey({ ...PSS, label: 'jwt-signing', tags: { team: 'identity' } });
      expect(ref.kid).to.match(/^[0-9a-f]{16}$/);
      expect(ref.version).to.equal(1);
      expect(ref.type).to.equal('opaque');
      expect(ref.uses).to.deep.equal(['sign', 'verify']);
      expect(ref.exportPolicy).to.equal('none');
      expect(ref).not.to.have.property('material');
      expect(ref.public).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(ref.fingerprint).to.equal(createHash('sha256').update(ref.public!).digest('hex'));

      const { KeyMetadata } = await sim.describeKey({ KeyId: `alias/swarmauri/${ref.kid}` });
      expect(KeyMetadata.KeySpec).to.equal('RSA_2048');
      expect(KeyMetadata.KeyUsage).to.equal('SIGN_VERIFY');
      expect(ref.tags).to.deep.equal({
        team: 'identity',
        alg: 'RSA_PSS_SHA256',
        'kms:key_id': KeyMetadata.KeyId,
        'kms:region': 'us-east-1',
        'kms:arn': KeyMetadata.Arn,
        label: 'jwt-signing',
      });
      const aliases = await aliasTargets(sim);
      expect(aliases.get(`alias/swarmauri/${ref.kid}`)).to.equal(KeyMetadata.KeyId);
      expect(aliases.get(`alias/swarmauri/${ref.kid}/v1`)).to.equal(KeyMetadata.KeyId);
      const { Tags } = await sim.listResourceTags({ KeyId: KeyMetadata.KeyId });
      expect(Tags).to.deep.equal([
        { TagKey: 'saur:kid', TagValue: ref.kid },
        { TagKey: 'saur:version', TagValue: '1' },
        { TagKey: 'saur:alg', TagValue: 'RSA_PSS_SHA256' },
        { TagKey: 'saur:label', TagValue: 'jwt-signing' },
        { TagKey: 'team', TagValue: 'identity' },
      ]);
      // CreateKey, GetPublicKey, two CreateAlias: nothing else.
      expect(kms.operations()).to.deep.equal(['createKey', 'getPublicKey', 'createAlias', 'createAlias']);
    });

    it('RSA default size is 3072; EC is P-256; AES is SYMMETRIC_DEFAULT without public', async () => {
      const { sim, provider } = setup();
      const rsa = await provider.createKey({ klass: 'asym', alg: 'RSA_OAEP_SHA256' });
      expect((await sim.describeKey({ KeyId: rsa.tags['kms:key_id'] })).KeyMetadata).to.deep.include({
        KeySpec: 'RSA_3072',
        KeyUsage: 'ENCRYPT_DECRYPT',
      });
      expect(rsa.uses).to.deep.equal(['encrypt', 'decrypt']);
      const ec = await provider.createKey(EC);
      expect((await sim.describeKey({ KeyId: ec.tags['kms:key_id'] })).KeyMetadata.KeySpec).to.equal('ECC_NIST_P256');
      const aes = await provider.createKey(AES);
      expect(aes).not.to.have.property('public');
      expect(aes.fingerprint).to.equal(createHash('sha256').update(aes.kid).digest('hex'));
      expect((await sim.describeKey({ KeyId: aes.tags['kms:key_id'] })).KeyMetadata.KeySpec).to.equal('SYMMETRIC_DEFAULT');
    });

    it('bad specs are typed errors and cost no KMS call', async () => {
      const { kms, provider } = setup();
      await rejectsWithoutCalls(kms, () => provider.createKey({ klass: 'sym', alg: 'RSA_PSS_SHA256' }), InvalidArgumentError, /does not match/);
      await rejectsWithoutCalls(kms, () => provider.createKey({ klass: 'asym', alg: 'X25519' }), UnsupportedAlgorithmError);
      await rejectsWithoutCalls(kms, () => provider.createKey({ ...PSS, sizeBits: 1024 }), InvalidArgumentError, /2048\/3072\/4096/);
      await rejectsWithoutCalls(kms, () => provider.createKey({ ...PSS, tags: { 'aws:x': 'y' } }), InvalidArgumentError, /reserved/);
      await rejectsWithoutCalls(kms, () => provider.createKey({ ...PSS, tags: { 'saur:kid': 'y' } }), InvalidArgumentError, /reserved/);
      await rejectsWithoutCalls(kms, () => provider.createKey({ ...PSS, label: 'x'.repeat(300) }), InvalidArgumentError);
      await rejectsWithoutCalls(kms, () => provider.createKey(null as never), InvalidArgumentError);
    });

    it('a failure after CreateKey leaves no orphan key and no alias (compensation)', async () => {
      const { sim, kms, provider } = setup();
      kms.faults.push({ operation: 'createAlias', when: (i) => !String(i.AliasName).includes('/v'), name: 'LimitExceededException' });
      let error: unknown;
      await provider.createKey(EC).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(KmsError);
      expect((error as KmsError).cause).to.have.property('name', 'LimitExceededException');
      expect((error as Error).message).to.match(/Could not create a ECDSA_P256_SHA256 key/);
      expect(await aliasTargets(sim)).to.have.property('size', 0);
      const { Keys } = await sim.listKeys({});
      expect(Keys).to.have.length(1);
      const { KeyMetadata } = await sim.describeKey({ KeyId: Keys[0]!.KeyId });
      expect(KeyMetadata.KeyState).to.equal('PendingDeletion');
    });

    it('a failed GetPublicKey also rolls back; a failed rollback says what to remove', async () => {
      const { sim, kms, provider } = setup();
      kms.faults.push({ operation: 'getPublicKey', name: 'KMSInternalException' });
      await provider.createKey(EC).then(
        () => expect.fail('should fail'),
        (e: unknown) => expect(e).to.be.instanceOf(KmsError),
      );
      kms.faults.push({ operation: 'createAlias', when: (i) => !String(i.AliasName).includes('/v') });
      kms.faults.push({ operation: 'scheduleKeyDeletion', name: 'AccessDeniedException' });
      const error = (await provider.createKey(EC).catch((e: unknown) => e)) as Error;
      expect(error).to.be.instanceOf(KmsError);
      expect(error!.message).to.match(/rolling it back failed too, remove by hand: arn:aws:kms:us-east-1:111122223333:key\//);
      expect(await aliasTargets(sim)).to.have.property('size', 0);
    });
  });

  describe('rotateKey', () => {
    it('creates v2 with the same alg, RSA size, label and caller tags; moves latest; v1 stays Enabled', async () => {
      const { sim, provider } = setup();
      const v1 = await provider.createKey({ ...PSS, label: 'jwt', tags: { team: 'identity' } });
      const v2 = await provider.rotateKey(v1.kid);
      expect(v2.kid).to.equal(v1.kid);
      expect(v2.version).to.equal(2);
      expect(v2.tags).to.deep.include({ alg: 'RSA_PSS_SHA256', label: 'jwt', team: 'identity' });
      expect(v2.public).not.to.equal(v1.public);
      const newMeta = (await sim.describeKey({ KeyId: `alias/swarmauri/${v1.kid}` })).KeyMetadata;
      expect(newMeta.KeyId).to.equal(v2.tags['kms:key_id']);
      expect(newMeta.KeySpec).to.equal('RSA_2048'); // inherited, not the 3072 default
      expect((await sim.describeKey({ KeyId: v1.tags['kms:key_id'] })).KeyMetadata.KeyState).to.equal('Enabled');
      expect(await kmsTags(sim, newMeta.KeyId)).to.deep.include({ 'saur:version': '2', 'saur:label': 'jwt', team: 'identity' });
      expect(await provider.listVersions(v1.kid)).to.deep.equal([1, 2]);
    });

    it('overrides sizeBits and label; label null drops it', async () => {
      const { sim, provider } = setup();
      const v1 = await provider.createKey({ ...PSS, label: 'a' });
      const v2 = await provider.rotateKey(v1.kid, { sizeBits: 3072, label: 'b' });
      expect((await sim.describeKey({ KeyId: v2.tags['kms:key_id'] })).KeyMetadata.KeySpec).to.equal('RSA_3072');
      expect(v2.tags.label).to.equal('b');
      const v3 = await provider.rotateKey(v1.kid, { label: null });
      expect(v3.tags).not.to.have.property('label');
      expect((await sim.describeKey({ KeyId: v3.tags['kms:key_id'] })).KeyMetadata.KeySpec).to.equal('RSA_3072');
    });

    it('bad arguments: typed errors, no KMS call; unknown kid is KeyNotFoundError', async () => {
      const { kms, provider } = setup();
      const ec = await provider.createKey(EC);
      await rejectsWithoutCalls(kms, () => provider.rotateKey('nope'), InvalidArgumentError, /16 lowercase hex/);
      await rejectsWithoutCalls(kms, () => provider.rotateKey(ec.kid, { sizeBits: 1000 }), InvalidArgumentError);
      await rejectsWithoutCalls(kms, () => provider.rotateKey(ec.kid, { alg: 'X' } as never), InvalidArgumentError, /Unknown rotate override/);
      await rejectsWithoutCalls(kms, () => provider.rotateKey(ec.kid, { label: 5 } as never), InvalidArgumentError);
      const error = await provider.rotateKey('0000000000000000').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KeyNotFoundError);
      expect((error as Error).message).to.equal('Unknown kid: 0000000000000000');
      const sizeOnEc = await provider.rotateKey(ec.kid, { sizeBits: 2048 }).catch((e: unknown) => e);
      expect(sizeOnEc).to.be.instanceOf(InvalidArgumentError);
      expect((sizeOnEc as Error).message).to.match(/sizeBits applies to RSA keys only/);
    });

    it('concurrent rotations get distinct versions; every /vN targets a key tagged saur:version=N', async () => {
      const { sim, provider } = setup();
      const v1 = await provider.createKey(EC);
      const refs = await Promise.all([provider.rotateKey(v1.kid), provider.rotateKey(v1.kid), provider.rotateKey(v1.kid)]);
      expect(refs.map((r) => r.version).sort()).to.deep.equal([2, 3, 4]);
      for (const [name, target] of await aliasTargets(sim)) {
        const match = /\/v(\d+)$/.exec(name);
        if (match) expect((await kmsTags(sim, target))['saur:version']).to.equal(match[1]);
      }
      expect(await provider.listVersions(v1.kid)).to.deep.equal([1, 2, 3, 4]);
    });

    it('never reuses a version number, even after KMS deleted the higher versions', async () => {
      const { provider, advance } = setup();
      const v1 = await provider.createKey(EC);
      await provider.rotateKey(v1.kid);
      await provider.rotateKey(v1.kid);
      expect(await provider.destroyKey(v1.kid, 3, { pendingWindowInDays: 7 })).to.equal(true);
      advance(8 * DAY); // KMS deletes v3 and its alias
      expect(await provider.listVersions(v1.kid)).to.deep.equal([1, 2]);
      const next = await provider.rotateKey(v1.kid);
      expect(next.version).to.equal(4);
    });

    it('a failed alias move rolls the new version back; latest stays where it was', async () => {
      const { sim, kms, provider } = setup();
      const v1 = await provider.createKey(EC);
      kms.faults.push({ operation: 'updateAlias', name: 'ThrottlingException' });
      const error = await provider.rotateKey(v1.kid).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KmsError);
      expect((error as KmsError).cause).to.have.property('name', 'ThrottlingException');
      const aliases = await aliasTargets(sim);
      expect([...aliases.keys()].sort()).to.deep.equal([`alias/swarmauri/${v1.kid}`, `alias/swarmauri/${v1.kid}/v1`]);
      expect(aliases.get(`alias/swarmauri/${v1.kid}`)).to.equal(v1.tags['kms:key_id']);
      const states = await Promise.all(
        (await sim.listKeys({})).Keys.map(async (k) => (await sim.describeKey({ KeyId: k.KeyId })).KeyMetadata.KeyState),
      );
      expect(states.sort()).to.deep.equal(['Enabled', 'PendingDeletion']);
    });

    it('a key without saur:alg is refused with a clear error', async () => {
      const { sim, provider } = setup();
      const v1 = await provider.createKey(EC);
      await sim.untagResource({ KeyId: v1.tags['kms:key_id'], TagKeys: ['saur:alg'] });
      const error = await provider.rotateKey(v1.kid).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidKeyStateError);
      expect((error as Error).message).to.match(/no saur:alg tag/);
    });
  });

  describe('getKey', () => {
    it('latest and explicit versions; the version comes from the alias that resolved the key', async () => {
      const { sim, kms, provider, fresh } = setup();
      const v1 = await provider.createKey(PSS);
      const v2 = await provider.rotateKey(v1.kid);
      expect(await provider.getKey(v1.kid)).to.deep.equal(v2);
      expect(await provider.getKey(v1.kid, 1)).to.deep.equal(v1);
      expect(await fresh().getKey(v1.kid)).to.deep.equal(v2);
      kms.reset();
      await fresh().getKey(v1.kid, 2);
      // Alias lookup is DescribeKey('alias/…'), never a listing of the account.
      expect(kms.operations()).to.deep.equal(['describeKey', 'listResourceTags', 'getPublicKey']);
      expect(kms.calls[0]!.input.KeyId).to.equal(`alias/swarmauri/${v1.kid}/v2`);
      // A tampered saur:version tag does not change the version reported.
      await sim.tagResource({ KeyId: v1.tags['kms:key_id'], Tags: [{ TagKey: 'saur:version', TagValue: '9' }] });
      expect((await fresh().getKey(v1.kid, 1)).version).to.equal(1);
    });

    it('includeSecret never yields material', async () => {
      const { provider } = setup();
      const ref = await provider.createKey(AES);
      const got: KeyRef = await provider.getKey(ref.kid, undefined, { includeSecret: true });
      expect(got).not.to.have.property('material');
      expect(got.exportPolicy).to.equal('none');
      expect(got).to.deep.equal(ref);
    });

    it('version 0 is not "latest"; bad arguments cost no call; unknown version is KeyNotFoundError', async () => {
      const { kms, provider } = setup();
      const ref = await provider.createKey(EC);
      await rejectsWithoutCalls(kms, () => provider.getKey(ref.kid, 0), InvalidArgumentError, /version must be an integer/);
      await rejectsWithoutCalls(kms, () => provider.getKey(ref.kid, 1.5), InvalidArgumentError);
      await rejectsWithoutCalls(kms, () => provider.getKey(ref.kid, 1, { includeSecret: 'yes' } as never), InvalidArgumentError);
      await rejectsWithoutCalls(kms, () => provider.getKey(ref.kid.toUpperCase()), InvalidArgumentError);
      const error = await provider.getKey(ref.kid, 2).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KeyNotFoundError);
      expect((error as Error).message).to.equal(`Unknown version 2 of kid ${ref.kid}`);
    });

    it('a version pending deletion is an InvalidKeyStateError', async () => {
      const { provider } = setup();
      const ref = await provider.createKey(EC);
      await provider.rotateKey(ref.kid);
      await provider.destroyKey(ref.kid, 1);
      const error = await provider.getKey(ref.kid, 1).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidKeyStateError);
      expect((error as Error).message).to.match(/pending deletion/);
    });

    for (const [name, spec] of [['asymmetric', EC], ['symmetric', AES]] as const) {
      it(`a ${name} version pending deletion names the version and its deletion date, with no GetPublicKey`, async () => {
        const { kms, provider, now } = setup();
        const ref = await provider.createKey(spec);
        await provider.rotateKey(ref.kid);
        await provider.destroyKey(ref.kid, 1, { pendingWindowInDays: 9 });
        const date = new Date(now() + 9 * DAY).toISOString();
        kms.reset();
        const error = await provider.getKey(ref.kid, 1).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InvalidKeyStateError);
        expect((error as InvalidKeyStateError).code).to.equal('ERR_INVALID_KEY_STATE');
        expect((error as Error).message).to.equal(`Version 1 of kid ${ref.kid} is pending deletion (deletion date ${date})`);
        expect(kms.operations(), 'DescribeKey of the /v1 alias tells').to.deep.equal(['describeKey']);
        // Every version pending: the latest alias still targets v2, and getKey() names it.
        await provider.destroyKey(ref.kid, undefined, { pendingWindowInDays: 9 });
        const latest = await provider.getKey(ref.kid).catch((e: unknown) => e);
        expect(latest).to.be.instanceOf(InvalidKeyStateError);
        expect((latest as Error).message).to.equal(`Version 2 of kid ${ref.kid} is pending deletion (deletion date ${date})`);
        expect((await provider.getKey(ref.kid, 2).catch((e: unknown) => e) as Error).message).to.equal(
          `Version 2 of kid ${ref.kid} is pending deletion (deletion date ${date})`,
        );
      });

      it(`a ${name} version disabled in KMS is refused from DescribeKey's state, public key cached or not`, async () => {
        const { sim, kms, provider, fresh } = setup();
        const ref = await provider.createKey(spec);
        const untrusting = new AwsKmsKeyProvider({ kms: kms.kms, cache: { ttlMs: 0 } });
        await untrusting.getKey(ref.kid, 1); // its public key and tags are cached now; alias resolutions never are
        await sim.disableKey({ KeyId: ref.tags['kms:key_id'] });
        for (const reader of [untrusting, fresh()]) {
          kms.reset();
          const error = await reader.getKey(ref.kid, 1).catch((e: unknown) => e);
          expect(error).to.be.instanceOf(InvalidKeyStateError);
          expect((error as Error).message).to.equal(`Version 1 of kid ${ref.kid} is disabled`);
          expect(kms.operations()).not.to.include('getPublicKey');
        }
        if (name === 'asymmetric') {
          const error = await fresh().getPublicJwk(ref.kid).catch((e: unknown) => e);
          expect((error as Error).message).to.equal(`Version 1 of kid ${ref.kid} is disabled`);
        }
      });
    }
  });

  describe('listVersions', () => {
    it('ascending, pending versions included; unknown kid is KeyNotFoundError', async () => {
      const { kms, provider } = setup();
      const ref = await provider.createKey(EC);
      await provider.rotateKey(ref.kid);
      await provider.destroyKey(ref.kid, 2);
      expect(await provider.listVersions(ref.kid)).to.deep.equal([1, 2]);
      const error = await provider.listVersions('0000000000000000').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KeyNotFoundError);
      await rejectsWithoutCalls(kms, () => provider.listVersions('x'), InvalidArgumentError);
    });

    it('a kid with only its latest alias (no /vN) counts as version 1, as in the original', async () => {
      const { sim, provider } = setup();
      const ref = await provider.createKey(EC);
      await sim.deleteAlias({ AliasName: `alias/swarmauri/${ref.kid}/v1` });
      expect(await provider.listVersions(ref.kid)).to.deep.equal([1]);
      expect((await provider.jwks()).keys.map((k) => k.kid)).to.deep.equal([`${ref.kid}.1`]);
      expect((await provider.getKey(ref.kid)).version).to.equal(1);
      expect(await provider.destroyKey(ref.kid, 1)).to.equal(true);
    });

    it('a kid under another prefix is not seen', async () => {
      const sim = new SimulatedKms();
      const a = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'a' });
      const ab = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'a/b' });
      const ref = await ab.createKey(EC);
      expect(await ab.listVersions(ref.kid)).to.deep.equal([1]);
      expect(await a.listVersions(ref.kid).catch((e: unknown) => e)).to.be.instanceOf(KeyNotFoundError);
      expect((await a.jwks()).keys).to.deep.equal([]);
    });
  });

  describe('destroyKey', () => {
    it('one version: scheduled with the window, latest moves to the highest live version', async () => {
      const { sim, provider, now } = setup();
      const v1 = await provider.createKey(EC);
      const v2 = await provider.rotateKey(v1.kid);
      expect(await provider.destroyKey(v1.kid, 2, { pendingWindowInDays: 10 })).to.equal(true);
      const meta = (await sim.describeKey({ KeyId: v2.tags['kms:key_id'] })).KeyMetadata;
      expect(meta.KeyState).to.equal('PendingDeletion');
      expect(meta.DeletionDate!.getTime()).to.equal(now() + 10 * DAY);
      expect((await aliasTargets(sim)).get(`alias/swarmauri/${v1.kid}`)).to.equal(v1.tags['kms:key_id']);
      expect((await provider.getKey(v1.kid)).version).to.equal(1);
      expect((await provider.getPublicJwk(v1.kid)).kid).to.equal(`${v1.kid}.1`);
      // Destroying it again reports the truth: it is pending.
      expect(await provider.destroyKey(v1.kid, 2)).to.equal(true);
    });

    it('the whole kid: every version pending, default window from the provider', async () => {
      const { sim, provider, now } = setup({ pendingWindowInDays: 14 });
      const v1 = await provider.createKey(EC);
      await provider.rotateKey(v1.kid);
      await provider.destroyKey(v1.kid, 1);
      expect(await provider.destroyKey(v1.kid)).to.equal(true);
      for (const target of new Set((await aliasTargets(sim)).values())) {
        const meta = (await sim.describeKey({ KeyId: target })).KeyMetadata;
        expect(meta.KeyState).to.equal('PendingDeletion');
        expect(meta.DeletionDate!.getTime()).to.equal(now() + 14 * DAY);
      }
      expect((await provider.jwks()).keys).to.deep.equal([]);
    });

    it('validates before any call; unknown kid or version is KeyNotFoundError', async () => {
      const { kms, provider } = setup();
      const ref = await provider.createKey(EC);
      await rejectsWithoutCalls(kms, () => provider.destroyKey(ref.kid, 1, { pendingWindowInDays: 6 }), InvalidArgumentError, /7 to 30/);
      await rejectsWithoutCalls(kms, () => provider.destroyKey(ref.kid, 1, { pendingWindowInDays: 31 }), InvalidArgumentError);
      await rejectsWithoutCalls(kms, () => provider.destroyKey(ref.kid, 0), InvalidArgumentError);
      await rejectsWithoutCalls(kms, () => provider.destroyKey('zz'), InvalidArgumentError);
      expect(await provider.destroyKey('0000000000000000').catch((e: unknown) => e)).to.be.instanceOf(KeyNotFoundError);
      const error = await provider.destroyKey(ref.kid, 5).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KeyNotFoundError);
      expect((error as Error).message).to.equal(`Unknown version 5 of kid ${ref.kid}`);
    });

    it('KMS failures surface as typed errors with the KMS error as cause (never a silent false)', async () => {
      const { kms, provider } = setup();
      const ref = await provider.createKey(EC);
      kms.faults.push({ operation: 'scheduleKeyDeletion', name: 'AccessDeniedException', fault: 'client' });
      const error = await provider.destroyKey(ref.kid).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KmsError);
      expect((error as KmsError).code).to.equal('ERR_KMS');
      expect((error as KmsError).cause).to.have.property('name', 'AccessDeniedException');
      expect((error as Error).message).to.match(/^Could not destroy kid [0-9a-f]{16} \(AccessDeniedException: /);
    });
  });

  describe('getPublicJwk and jwks', () => {
    it('JWK of latest and of a version, with alg and use; symmetric is UnsupportedOperationError', async () => {
      const { provider } = setup();
      const pss = await provider.createKey(PSS);
      const ec = await provider.createKey(EC);
      const aes = await provider.createKey(AES);
      expect(await provider.getPublicJwk(pss.kid)).to.deep.include({ kty: 'RSA', e: 'AQAB', kid: `${pss.kid}.1`, alg: 'PS256', use: 'sig' });
      expect(await provider.getPublicJwk(ec.kid, 1)).to.deep.include({ kty: 'EC', crv: 'P-256', kid: `${ec.kid}.1`, alg: 'ES256', use: 'sig' });
      const error = await provider.getPublicJwk(aes.kid).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UnsupportedOperationError);
      expect((error as Error).message).to.equal(`kid ${aes.kid} is a symmetric key: it has no public JWK`);
      expect(await provider.getPublicJwk('0000000000000000').catch((e: unknown) => e)).to.be.instanceOf(KeyNotFoundError);
    });

    it('jwks: latest Enabled version of each asymmetric kid, sorted by kid, prefix filter', async () => {
      const { sim, kms, provider, fresh } = setup();
      const a = await provider.createKey(EC);
      const b = await provider.createKey({ klass: 'asym', alg: 'RSA_OAEP_SHA256', sizeBits: 2048 });
      await provider.createKey(AES);
      await provider.rotateKey(a.kid);
      const jwks = await provider.jwks();
      expect(jwks.keys.map((k) => k.kid)).to.deep.equal([`${a.kid}.2`, `${b.kid}.1`].sort());
      expect(jwks.keys.find((k) => k.kid === `${b.kid}.1`)).to.deep.include({ alg: 'RSA-OAEP-256', use: 'enc' });
      expect((await provider.jwks({ prefixKids: a.kid.slice(0, 6) })).keys.map((k) => k.kid)).to.include(`${a.kid}.2`);
      expect((await provider.jwks({ prefixKids: 'zzz' })).keys).to.deep.equal([]);
      // A latest disabled (by another process) falls back to the highest Enabled version.
      await sim.disableKey({ KeyId: (await provider.getKey(a.kid)).tags['kms:key_id'] });
      expect((await fresh().jwks({ prefixKids: a.kid })).keys.map((k) => k.kid)).to.deep.equal([`${a.kid}.1`]);
      // The instrument the provider calls through (not a fresh one): a bad prefixKids costs no request.
      await rejectsWithoutCalls(kms, () => provider.jwks({ prefixKids: 5 } as never), InvalidArgumentError, /prefixKids must be a string/);
      await provider.jwks(); // …and that instrument does see the provider's requests
      expect(kms.operations()).to.include('listAliases');
    });

    it('jwks pages through many aliases and ignores foreign and AWS managed ones', async () => {
      const { sim, provider } = setup();
      const refs = await Promise.all(Array.from({ length: 30 }, () => provider.createKey(EC)));
      // Noise: aliases of another prefix and non-matching names under ours.
      const other = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'other' });
      await other.createKey(EC);
      await sim.createAlias({ AliasName: 'alias/swarmauri/not-a-kid', TargetKeyId: refs[0]!.tags['kms:key_id'] });
      const jwks = await provider.jwks();
      expect(jwks.keys.map((k) => k.kid)).to.deep.equal(refs.map((r) => `${r.kid}.1`).sort());
      expect(JSON.stringify(jwks)).not.to.match(/"(d|p|q|dp|dq|qi|k)":/);
    });
  });

  describe('a key without saur:alg: one typed error everywhere', () => {
    /** InvalidKeyStateError with its code and the one message, whatever the method. */
    async function expectNoAlgTag(call: Promise<unknown>, kid: string): Promise<void> {
      const error = await call.then(
        () => expect.fail('should have thrown'),
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(InvalidKeyStateError);
      expect((error as InvalidKeyStateError).code).to.equal('ERR_INVALID_KEY_STATE');
      expect((error as Error).message).to.equal(
        `The KMS key of kid ${kid} has no saur:alg tag: it was not made by a key provider`,
      );
    }

    it('getKey (latest and by version, asymmetric and symmetric), before any GetPublicKey', async () => {
      const { sim, kms, provider, fresh } = setup();
      for (const spec of [EC, AES]) {
        const ref = await provider.createKey(spec);
        await sim.untagResource({ KeyId: ref.tags['kms:key_id'], TagKeys: ['saur:alg'] });
        kms.reset();
        // Seen by a provider that did not make the key (the maker caches the tags it wrote: KMS tags of a
        // provider's key never change).
        await expectNoAlgTag(fresh().getKey(ref.kid), ref.kid);
        await expectNoAlgTag(fresh().getKey(ref.kid, 1, { includeSecret: true }), ref.kid);
        expect(kms.operations()).not.to.include('getPublicKey');
      }
    });

    it('rotateKey and getPublicJwk; jwks takes the alg from the key spec and publishes it', async () => {
      const { sim, kms, provider, fresh } = setup();
      const good = await provider.createKey(PSS);
      const ref = await provider.createKey(EC);
      await sim.untagResource({ KeyId: ref.tags['kms:key_id'], TagKeys: ['saur:alg'] });
      kms.reset();
      await expectNoAlgTag(provider.rotateKey(ref.kid), ref.kid); // rotation reads the tags afresh
      expect(kms.operations()).not.to.include('createKey');
      await expectNoAlgTag(fresh().getPublicJwk(ref.kid), ref.kid);
      await expectNoAlgTag(fresh().getPublicJwk(ref.kid, 1), ref.kid);
      // A P-256 SIGN_VERIFY key can only be ES256: the JWKS needs no tag for it (and reads none).
      kms.reset();
      const jwks = await fresh().jwks({ prefixKids: ref.kid });
      expect(jwks.keys.map((k) => [k.kid, k.alg])).to.deep.equal([[`${ref.kid}.1`, 'ES256']]);
      expect(kms.operations()).not.to.include('listResourceTags');
      expect((await provider.jwks({ prefixKids: good.kid })).keys.map((k) => k.kid)).to.deep.equal([`${good.kid}.1`]);
    });
  });

  describe('randomBytes, hkdf, supports, importKey', () => {
    it('randomBytes: local CSPRNG, 0…1 048 576 bytes, no KMS call', async () => {
      const { kms, provider } = setup();
      kms.reset();
      expect(await provider.randomBytes(0)).to.have.length(0);
      expect(await provider.randomBytes(32)).to.have.length(32);
      const big = await provider.randomBytes(1_048_576);
      expect(big).to.have.length(1_048_576);
      expect(big.subarray(-65_536).some((b) => b !== 0)).to.equal(true);
      expect(kms.operations()).to.deep.equal([]);
      for (const bad of [-1, 1.5, 1_048_577, '8']) {
        await rejectsWithoutCalls(kms, () => provider.randomBytes(bad as number), InvalidArgumentError, /n must be an integer/);
      }
    });

    it('randomBytes uses the injected CSPRNG', async () => {
      const provider = new AwsKmsKeyProvider({ kms: new SimulatedKms(), getRandomValues: (b) => b.fill(7) });
      expect([...(await provider.randomBytes(3))]).to.deep.equal([7, 7, 7]);
      expect((await provider.createKey(EC)).kid).to.equal('0707070707070707');
    });

    it('hkdf: RFC 5869 case 1', async () => {
      const { provider } = setup();
      const okm = await provider.hkdf(new Uint8Array(22).fill(0x0b), {
        salt: Uint8Array.from(Buffer.from('000102030405060708090a0b0c', 'hex')),
        info: Uint8Array.from(Buffer.from('f0f1f2f3f4f5f6f7f8f9', 'hex')),
        length: 42,
      });
      expect(Buffer.from(okm).toString('hex')).to.match(/^3cb25f25faacd57a90434f64/);
      await provider.hkdf(new Uint8Array(1), { salt: new Uint8Array(0), info: new Uint8Array(0), length: 9000 }).then(
        () => expect.fail('should fail'),
        (e: unknown) => expect((e as Error).message).to.equal('Cannot derive keys larger than 8160 octets.'),
      );
    });

    it('supports() and importKey()', async () => {
      const { provider } = setup();
      expect(provider.supports()).to.deep.equal({
        class: ['sym', 'asym'],
        algs: [...SUPPORTED_ALGS],
        features: ['create', 'rotate', 'destroy', 'jwks', 'sign', 'non_exportable'],
      });
      const error = await provider.importKey().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UnsupportedOperationError);
      expect((error as Error).message).to.equal('AWS KMS does not support importing private keys via this provider; use createKey().');
    });
  });

  it('KMS exceptions map to typed errors by name', async () => {
    const { kms, provider, fresh } = setup();
    const ref = await provider.createKey(EC);
    const cases: Array<[string, new (...a: never[]) => Error]> = [
      ['NotFoundException', KeyNotFoundError],
      ['DisabledException', InvalidKeyStateError],
      ['KMSInvalidStateException', InvalidKeyStateError],
      ['AlreadyExistsException', ConflictError],
      ['UnsupportedOperationException', UnsupportedOperationError],
      ['ThrottlingException', KmsError],
    ];
    for (const [name, Class] of cases) {
      kms.faults.push({ operation: 'listResourceTags', name });
      const error = await fresh().getKey(ref.kid, 1).catch((e: unknown) => e);
      expect(error, name).to.be.instanceOf(Class);
      expect((error as Error).cause).to.have.property('name', name);
    }
  });
});
