/**
 * SimulatedKms.seed and the `seed` option: fixed key IDs, imported key material, idempotency, conflicts, skipped
 * partitions, one transaction. Replay a property failure with FC_SEED=<seed>.
 */
import { createHash, createHmac, createPublicKey, generateKeyPairSync, verify as nodeVerify } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { ConflictError, InvalidArgumentError } from '../../../../src/domain/errors.js';
import { mlDsaPkcs8 } from '../../../../src/adapters/simulator/crypto/key-encoding.js';
import { ML_DSA } from '../../../../src/adapters/simulator/crypto/curves.js';
import type { SimulatedKms } from '../../../../src/adapters/simulator/simulated-kms.js';
import type { SeedEntryInput, SeedReport } from '../../../../src/adapters/simulator/seed/seed-types.js';
import { InMemorySimulatorStore } from '../../../../src/adapters/simulator/store/in-memory-store.js';
import type { SimulatorStoreTransaction } from '../../../../src/adapters/simulator/store/simulator-store.js';
import type { KmsKeySpec, KmsSigningAlgorithm } from '../../../../src/ports/kms.port.js';
import { ManualClock, bytes, keyArn, newKms } from '../simulator-test-kit.js';
import { rejection } from '../../../support/rejection.js';

const id = (n: number): string => `5eed0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const pkcs8Pem = (type: string, options: object): string =>
  generateKeyPairSync(type as 'ec', options as { namedCurve: string }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

const statuses = (report: SeedReport): string[] => report.entries.map((e) => e.status);

describe('adapters/simulator/seed — SimulatedKms.seed', () => {
  describe('imported private keys: GetPublicKey is the PEM\'s SPKI and Sign verifies with it', () => {
    const cases: Array<[KmsKeySpec, string, object, KmsSigningAlgorithm, string | null]> = [
      ['RSA_2048', 'rsa', { modulusLength: 2048 }, 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256'],
      ['ECC_NIST_P256', 'ec', { namedCurve: 'prime256v1' }, 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P384', 'ec', { namedCurve: 'secp384r1' }, 'ECDSA_SHA_384', 'sha384'],
      ['ECC_NIST_P521', 'ec', { namedCurve: 'secp521r1' }, 'ECDSA_SHA_512', 'sha512'],
      ['ECC_SECG_P256K1', 'ec', { namedCurve: 'secp256k1' }, 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_EDWARDS25519', 'ed25519', {}, 'ED25519_SHA_512', null],
    ];
    for (const [spec, type, options, algorithm, hash] of cases) {
      it(spec, async () => {
        const pem = pkcs8Pem(type, options);
        const kms = newKms();
        const report = await kms.seed([{ KeyId: id(1), KeySpec: spec, KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: pem }]);
        expect(statuses(report)).to.deep.equal(['created']);
        const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
        const { PublicKey } = await kms.getPublicKey({ KeyId: id(1) });
        expect(Buffer.from(PublicKey).equals(spki)).to.equal(true);
        const message = bytes('seeded message');
        for (const messageType of hash === null ? (['RAW'] as const) : (['RAW', 'DIGEST'] as const)) {
          const input = messageType === 'RAW' ? message : createHash(hash as string).update(message).digest();
          const { Signature } = await kms.sign({ KeyId: id(1), Message: input, SigningAlgorithm: algorithm, MessageType: messageType });
          expect(nodeVerify(hash, message, createPublicKey(pem), Signature), messageType).to.equal(true);
        }
      });
    }

    it('RSA for encryption: KMS decrypts what node:crypto encrypted to the PEM', async () => {
      const pem = pkcs8Pem('rsa', { modulusLength: 2048 });
      const kms = newKms();
      await kms.seed([{ KeyId: id(2), KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', PrivateKeyPem: pem }]);
      const { publicEncrypt, constants } = await import('node:crypto');
      const blob = publicEncrypt({ key: createPublicKey(pem), oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING }, bytes('hi'));
      const { Plaintext } = await kms.decrypt({ KeyId: id(2), CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      expect(Buffer.from(Plaintext).toString()).to.equal('hi');
    });

    it('ML-DSA in the seed form: the public key is the seed\'s, and signatures verify with it', async () => {
      const seed = new Uint8Array(32).fill(3);
      const pem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(mlDsaPkcs8('ML_DSA_44', seed)).toString('base64')}\n-----END PRIVATE KEY-----\n`;
      const kms = newKms();
      await kms.seed([{ KeyId: id(3), KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: pem }]);
      const { publicKey } = ML_DSA.ML_DSA_44.keygen(seed);
      const { PublicKey } = await kms.getPublicKey({ KeyId: id(3) });
      expect(Buffer.from(PublicKey.subarray(PublicKey.length - publicKey.length)).equals(publicKey)).to.equal(true);
      const { Signature } = await kms.sign({ KeyId: id(3), Message: bytes('m'), SigningAlgorithm: 'ML_DSA_SHAKE_256' });
      expect(ML_DSA.ML_DSA_44.verify(Signature, bytes('m'), publicKey)).to.equal(true);
    });
  });

  describe('imported secrets', () => {
    it('SYMMETRIC_DEFAULT: Encrypt/Decrypt round trip, and another simulator seeded alike decrypts it too', async () => {
      const secret = Buffer.alloc(32, 0x5e).toString('base64');
      const entry: SeedEntryInput = { KeyId: id(4), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyMaterial: secret };
      const one = newKms();
      const other = newKms();
      await one.seed([entry]);
      await other.seed([entry]);
      const { CiphertextBlob } = await one.encrypt({ KeyId: id(4), Plaintext: bytes('offline'), EncryptionContext: { a: 'b' } });
      for (const kms of [one, other]) {
        const { Plaintext, KeyId } = await kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b' } });
        expect([Buffer.from(Plaintext).toString(), KeyId]).to.deep.equal(['offline', keyArn(id(4))]);
      }
    });

    it('SYMMETRIC_DEFAULT: a seeded key rotates, re-applying its seed is no conflict, and old ciphertexts still decrypt', async () => {
      const secret = Buffer.alloc(32, 0x6f).toString('base64');
      const entry: SeedEntryInput = { KeyId: id(5), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyMaterial: secret };
      const kms = newKms();
      await kms.seed([entry]);
      const { CiphertextBlob } = await kms.encrypt({ KeyId: id(5), Plaintext: bytes('seeded') });
      await kms.rotateKeyOnDemand({ KeyId: id(5) });
      await kms.seed([entry]); // the key keeps the seeded material as its original one
      const reseed = kms.seed([{ ...entry, KeyMaterial: Buffer.alloc(32, 0x70).toString('base64') }]);
      await reseed.then(() => expect.fail('expected a conflict'), (e: Error) => expect(e.message).to.match(/other key material/));
      expect(Buffer.from((await kms.decrypt({ CiphertextBlob })).Plaintext).toString()).to.equal('seeded');
    });

    it('HMAC: GenerateMac is node:crypto\'s HMAC with the seeded secret, for every spec', async () => {
      const specs = [
        ['HMAC_224', 'HMAC_SHA_224', 'sha224', 28],
        ['HMAC_256', 'HMAC_SHA_256', 'sha256', 32],
        ['HMAC_384', 'HMAC_SHA_384', 'sha384', 48],
        ['HMAC_512', 'HMAC_SHA_512', 'sha512', 64],
      ] as const;
      const arbitrary = fc.constantFrom(...specs).chain((spec) =>
        fc.tuple(fc.constant(spec), fc.uint8Array({ minLength: spec[3], maxLength: spec[3] }), fc.uint8Array({ minLength: 1, maxLength: 64 })),
      );
      await fc.assert(
        fc.asyncProperty(arbitrary, async ([[spec, algorithm, hash], secret, message]) => {
          const kms = newKms();
          const KeyMaterial = Buffer.from(secret).toString('base64');
          await kms.seed([{ KeyId: id(5), KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC', KeyMaterial, Aliases: ['alias/mac'] }]);
          const { Mac } = await kms.generateMac({ KeyId: 'alias/mac', Message: message, MacAlgorithm: algorithm });
          expect(Buffer.from(Mac).equals(createHmac(hash, secret).update(message).digest())).to.equal(true);
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('fixed ids, idempotency, partitions', () => {
    const doc = `
Keys:
  - KeyId: ${id(10)}
    KeySpec: ECC_NIST_P256
    KeyUsage: SIGN_VERIFY
    Description: signing
    Aliases: [alias/app/signing]
    Tags: { team: identity }
  - KeyId: ${id(11)}
    KeySpec: SYMMETRIC_DEFAULT
    KeyUsage: ENCRYPT_DECRYPT
    Enabled: false
  - KeySpec: HMAC_256
    KeyUsage: GENERATE_VERIFY_MAC
    Aliases: [alias/app/mac]
  - KeyId: ${id(12)}
    Region: eu-west-1
    KeySpec: SYMMETRIC_DEFAULT
    KeyUsage: ENCRYPT_DECRYPT
  - AccountId: '444455556666'
    KeySpec: SYMMETRIC_DEFAULT
    KeyUsage: ENCRYPT_DECRYPT
  - Region: us-east-1
    AccountId: '111122223333'
    KeySpec: RSA_2048
    KeyUsage: SIGN_VERIFY
    Aliases: [alias/app/rsa]
`;
    let kms: SimulatedKms;
    let first: SeedReport;
    before(async () => {
      kms = newKms();
      first = await kms.seed(doc, { source: 'app.yaml' });
    });

    it('creates the keys of this Region and account with the fixed ids, metadata, state, aliases and tags', async () => {
      expect(statuses(first)).to.deep.equal(['created', 'created', 'created', 'skipped', 'skipped', 'created']);
      expect(first.created.map((o) => o.index)).to.deep.equal([0, 1, 2, 5]);
      expect(first.entries[0]).to.deep.equal({
        index: 0,
        entry: `Keys[0] (KeyId '${id(10)}', 'alias/app/signing')`,
        status: 'created',
        keyId: id(10),
        keyArn: keyArn(id(10)),
      });
      const signing = (await kms.describeKey({ KeyId: 'alias/app/signing' })).KeyMetadata;
      expect([signing.KeyId, signing.KeySpec, signing.KeyUsage, signing.Description, signing.KeyState]).to.deep.equal([
        id(10), 'ECC_NIST_P256', 'SIGN_VERIFY', 'signing', 'Enabled',
      ]);
      expect((await kms.listResourceTags({ KeyId: id(10) })).Tags).to.deep.equal([{ TagKey: 'team', TagValue: 'identity' }]);
      const symmetric = (await kms.describeKey({ KeyId: id(11) })).KeyMetadata;
      expect([symmetric.KeyState, symmetric.Enabled, symmetric.Description]).to.deep.equal(['Disabled', false, '']);
      expect(symmetric.CurrentKeyMaterialId).to.match(/^[0-9a-f]{64}$/);
      const mac = (await kms.describeKey({ KeyId: 'alias/app/mac' })).KeyMetadata;
      expect(mac.KeyId).to.equal(first.entries[2]?.keyId).and.to.match(/^[0-9a-f-]{36}$/);
    });

    it('reports the skipped entries and why', () => {
      expect(first.skipped).to.deep.equal([
        { index: 3, entry: `Keys[3] (KeyId '${id(12)}')`, status: 'skipped', keyId: id(12), reason: "Region eu-west-1 is not this simulator's Region us-east-1" },
        { index: 4, entry: 'Keys[4]', status: 'skipped', reason: "AccountId 444455556666 is not this simulator's account 111122223333" },
      ]);
    });

    it('seeding again changes nothing: the same ids (the id-less entries found through their aliases), unchanged', async () => {
      const again = await kms.seed(doc);
      expect(statuses(again)).to.deep.equal(['unchanged', 'unchanged', 'unchanged', 'skipped', 'skipped', 'unchanged']);
      expect(again.entries.map((o) => o.keyId)).to.deep.equal(first.entries.map((o) => o.keyId));
      expect((await kms.listKeys({})).Keys).to.have.length(4);
    });

    it('re-applies tags, aliases, description and state that were changed since, and reports the key as updated', async () => {
      await kms.untagResource({ KeyId: id(10), TagKeys: ['team'] });
      await kms.tagResource({ KeyId: id(10), Tags: [{ TagKey: 'other', TagValue: 'kept' }] });
      await kms.deleteAlias({ AliasName: 'alias/app/signing' });
      await kms.enableKey({ KeyId: id(11) });
      const again = await kms.seed(doc);
      expect(statuses(again)).to.deep.equal(['updated', 'updated', 'unchanged', 'skipped', 'skipped', 'unchanged']);
      expect((await kms.describeKey({ KeyId: 'alias/app/signing' })).KeyMetadata.KeyId).to.equal(id(10));
      expect((await kms.listResourceTags({ KeyId: id(10) })).Tags).to.deep.equal([
        { TagKey: 'other', TagValue: 'kept' },
        { TagKey: 'team', TagValue: 'identity' },
      ]);
      expect((await kms.describeKey({ KeyId: id(11) })).KeyMetadata.KeyState).to.equal('Disabled');
    });

    it('an entry without Enabled or Description leaves those as they are on an existing key', async () => {
      await kms.disableKey({ KeyId: id(10) });
      const again = await kms.seed([{ KeyId: id(10), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }]);
      expect(statuses(again)).to.deep.equal(['unchanged']);
      const metadata = (await kms.describeKey({ KeyId: id(10) })).KeyMetadata;
      expect([metadata.KeyState, metadata.Description]).to.deep.equal(['Disabled', 'signing']);
    });

    it('the same key material seeded twice under the same id is unchanged', async () => {
      const pem = pkcs8Pem('ec', { namedCurve: 'prime256v1' });
      const entry: SeedEntryInput = { KeyId: id(13), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: pem };
      expect(statuses(await kms.seed([entry]))).to.deep.equal(['created']);
      // the same key in another encoding (SEC1) is the same material
      const sec1 = createPublicKey(pem) && (await import('node:crypto')).createPrivateKey(pem).export({ type: 'sec1', format: 'pem' });
      expect(statuses(await kms.seed([{ ...entry, PrivateKeyPem: sec1 as string }]))).to.deep.equal(['unchanged']);
    });
  });

  describe('conflicts: a clear ConflictError naming the entry, and nothing written', () => {
    let kms: SimulatedKms;
    const secret = Buffer.alloc(32, 1).toString('base64');
    before(async () => {
      kms = newKms();
      await kms.seed([
        { KeyId: id(20), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyMaterial: secret, Aliases: ['alias/one'] },
        { KeyId: id(21), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/two'] },
      ]);
    });

    const cases: Array<[string, SeedEntryInput, string]> = [
      [
        'the same KeyId with another spec',
        { KeyId: id(20), KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
        `c.yaml: Keys[1] (KeyId '${id(20)}'): key ${id(20)} exists as SYMMETRIC_DEFAULT ENCRYPT_DECRYPT; the entry says HMAC_256 GENERATE_VERIFY_MAC`,
      ],
      [
        'the same KeyId with another usage',
        { KeyId: id(21), KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' },
        `c.yaml: Keys[1] (KeyId '${id(21)}'): key ${id(21)} exists as ECC_NIST_P256 SIGN_VERIFY; the entry says ECC_NIST_P256 KEY_AGREEMENT`,
      ],
      [
        'the same KeyId with other material',
        { KeyId: id(20), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyMaterial: Buffer.alloc(32, 2).toString('base64') },
        `c.yaml: Keys[1] (KeyId '${id(20)}'): key ${id(20)} exists with other key material than the entry's KeyMaterial`,
      ],
      [
        'the same KeyId with another private key',
        { KeyId: id(21), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: pkcs8Pem('ec', { namedCurve: 'prime256v1' }) },
        `c.yaml: Keys[1] (KeyId '${id(21)}'): key ${id(21)} exists with other key material than the entry's PrivateKeyPem`,
      ],
      [
        'an alias of another key',
        { KeyId: id(22), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/two-b', 'alias/one'] },
        `c.yaml: Keys[1] (KeyId '${id(22)}', 'alias/two-b'): alias alias/one already targets another key, ${id(20)}`,
      ],
      [
        'an id-less entry whose alias targets a key of another kind',
        { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Aliases: ['alias/one'] },
        `c.yaml: Keys[1] ('alias/one'): key ${id(20)} (found through its aliases) exists as SYMMETRIC_DEFAULT ENCRYPT_DECRYPT; ` +
          'the entry says HMAC_256 GENERATE_VERIFY_MAC',
      ],
      [
        'an id-less entry whose aliases target two keys',
        { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/one', 'alias/two'] },
        `c.yaml: Keys[1] ('alias/one'): its aliases already target different keys (${id(20)}, ${id(21)})`,
      ],
      [
        'an id-less entry that is the key another entry names',
        { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/two'] },
        `c.yaml: Keys[0] (KeyId '${id(21)}') and Keys[1] ('alias/two') are the same key ${id(21)}`,
      ],
    ];
    for (const [title, entry, message] of cases) {
      it(title, async () => {
        const before = (await kms.listKeys({})).Keys.length;
        // the first entry is valid (and would create a key): the whole seed is refused all the same
        const first: SeedEntryInput =
          title === 'an id-less entry that is the key another entry names'
            ? { KeyId: id(21), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }
            : { KeyId: id(29), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Aliases: ['alias/new'] };
        const error = await rejection(kms.seed([first, entry], { source: 'c.yaml' }));
        expect(error).to.be.instanceOf(ConflictError);
        expect(error.message).to.equal(message);
        expect((await kms.listKeys({})).Keys).to.have.length(before);
        expect((await kms.listAliases({ KeyId: id(20) })).Aliases.map((a) => a.AliasName)).to.deep.equal(['alias/one']);
      });
    }

    it('a key pending deletion', async () => {
      await kms.scheduleKeyDeletion({ KeyId: id(21), PendingWindowInDays: 7 });
      const error = await rejection(kms.seed([{ KeyId: id(21), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }]));
      expect(error.message).to.equal(
        `seed: Keys[0] (KeyId '${id(21)}'): key ${id(21)} is pending deletion; cancel its deletion (CancelKeyDeletion) or let it be deleted`,
      );
      await kms.cancelKeyDeletion({ KeyId: id(21) });
    });

    it('the same KeyId or alias twice in one seed is an InvalidArgumentError', async () => {
      const twiceId = await rejection(
        kms.seed([
          { KeyId: id(30), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' },
          { KeyId: id(30), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' },
        ]),
      );
      expect(twiceId).to.be.instanceOf(InvalidArgumentError);
      expect(twiceId.message).to.equal(`seed: Keys[0] (KeyId '${id(30)}') and Keys[1] (KeyId '${id(30)}') both have KeyId ${id(30)}`);
      const twiceAlias = await rejection(
        kms.seed([
          { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Aliases: ['alias/x'] },
          { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Aliases: ['alias/y', 'alias/x'] },
        ]),
      );
      expect(twiceAlias.message).to.equal("seed: Keys[0] ('alias/x') and Keys[1] ('alias/y') both list alias/x");
    });

    it('entries of another partition never conflict (they are skipped first)', async () => {
      const report = await kms.seed([{ KeyId: id(20), Region: 'eu-west-1', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }]);
      expect(statuses(report)).to.deep.equal(['skipped']);
    });
  });

  describe('the seed option', () => {
    it('applies the seed before the first operation, even one called at once', async () => {
      const kms = newKms({
        seed: JSON.stringify({ Keys: [{ KeyId: id(40), KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/boot'] }] }),
      });
      const [described, listed] = await Promise.all([kms.describeKey({ KeyId: 'alias/boot' }), kms.listKeys({})]);
      expect(described.KeyMetadata.KeyId).to.equal(id(40));
      expect(listed.Keys.map((k) => k.KeyId)).to.deep.equal([id(40)]);
      expect(statuses((await kms.seeded()) as SeedReport)).to.deep.equal(['created']);
    });

    it('entries work as well as a document, and a simulator without the option reports no seed', async () => {
      const kms = newKms({ seed: [{ KeyId: id(41), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }] });
      expect((await kms.describeKey({ KeyId: id(41) })).KeyMetadata.KeyId).to.equal(id(41));
      expect(await newKms().seeded()).to.equal(undefined);
    });

    it('an invalid seed throws at construction, naming seedSource', () => {
      expect(() => newKms({ seed: 'Keys: [{ KeySpec: X }]', seedSource: 'boot.yaml' }))
        .to.throw(InvalidArgumentError)
        .with.property('message')
        .that.matches(/^boot\.yaml: Keys\[0\]: KeySpec must be one of/);
      expect(() => newKms({ seed: 42 as unknown as string })).to.throw(InvalidArgumentError, 'options.seed: a seed is a document');
    });

    it('a seed that conflicts with the store makes every operation reject with that conflict', async () => {
      const store = new InMemorySimulatorStore();
      await newKms({ store }).seed([{ KeyId: id(42), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }]);
      const kms = newKms({ store, seed: [{ KeyId: id(42), KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }] });
      const failure = await rejection(kms.seeded());
      expect(failure).to.be.instanceOf(ConflictError);
      expect(failure.message).to.match(/^options\.seed: Keys\[0\] .* exists as SYMMETRIC_DEFAULT/);
      expect(await rejection(kms.listKeys({}))).to.equal(failure);
      expect(await rejection(kms.createKey({}))).to.equal(failure);
    });

    it('a seed over a store that has it already is unchanged (a durable store re-opened)', async () => {
      const store = new InMemorySimulatorStore();
      const seed = [{ KeyId: id(43), KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC', Aliases: ['alias/h'] }] as const;
      await newKms({ store, seed }).seeded();
      expect(statuses((await newKms({ store, seed }).seeded()) as SeedReport)).to.deep.equal(['unchanged']);
    });
  });

  describe('the transaction', () => {
    /** The in-memory store, but every transaction runs once, is rolled back, and runs again (as an optimistic store may). */
    function rerunningStore(): { store: InMemorySimulatorStore; counts: { transactions: number } } {
      const inner = new InMemorySimulatorStore();
      const counts = { transactions: 0 };
      const transaction = async <T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T> => {
        counts.transactions += 1;
        const retry = new Error('retry');
        await inner
          .transaction(async (tx) => {
            await fn(tx);
            throw retry; // the in-memory store rolls back everything fn wrote
          })
          .catch((e: unknown) => {
            if (e !== retry) throw e;
          });
        return inner.transaction(fn);
      };
      const store = new Proxy(inner, {
        get(target, property) {
          if (property === 'transaction') return transaction;
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      return { store, counts };
    }

    it('is one transaction for the whole seed, and a store that re-runs it (optimistic) gets the same result', async () => {
      const { store, counts } = rerunningStore();
      const kms = newKms({ store });
      const report = await kms.seed([
        { KeyId: id(50), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyMaterial: Buffer.alloc(32, 9).toString('base64') },
        { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/p'] },
      ]);
      expect(statuses(report)).to.deep.equal(['created', 'created']);
      expect(counts.transactions).to.equal(1);
      expect((await kms.listKeys({})).Keys.map((k) => k.KeyId)).to.have.members([id(50), report.entries[1]?.keyId]);
      expect((await kms.listAliases({ KeyId: report.entries[1]?.keyId as string })).Aliases).to.have.length(1);
      expect(statuses(await kms.seed([{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/p'] }]))).to.deep.equal([
        'unchanged',
      ]);
    });

    it('a key that turns out to be gone inside the transaction (due for deletion) gets material and the seed runs again', async () => {
      const clock = new ManualClock();
      const { store, counts } = rerunningStore();
      const kms = newKms({ store, clock: clock.now });
      const entry: SeedEntryInput = { KeyId: id(52), KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/again'] };
      await kms.seed([entry]);
      const { PublicKey: before } = await kms.getPublicKey({ KeyId: id(52) });
      await kms.scheduleKeyDeletion({ KeyId: id(52), PendingWindowInDays: 7 });
      clock.advance(8 * 86_400_000);
      counts.transactions = 0;
      const report = await kms.seed([entry]);
      expect(statuses(report)).to.deep.equal(['created']);
      expect(counts.transactions).to.equal(2); // the first found the key purged and wrote nothing but the purge
      const { PublicKey: after } = await kms.getPublicKey({ KeyId: 'alias/again' });
      expect(Buffer.from(after).equals(before)).to.equal(false);
    });

    it('new keys get the clock\'s time; key generation is skipped for keys that exist', async () => {
      const { webcrypto } = await import('node:crypto');
      let generated = 0;
      const subtle = new Proxy(webcrypto.subtle, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property);
          if (property === 'generateKey') generated += 1;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const crypto = {
        subtle,
        getRandomValues: (array: Uint8Array) => webcrypto.getRandomValues(array),
        randomUUID: () => webcrypto.randomUUID(),
      } as unknown as Crypto;
      const clock = new ManualClock('2030-05-01T00:00:00.000Z');
      const kms = newKms({ clock: clock.now, crypto });
      const entry: SeedEntryInput = { KeyId: id(51), KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/r'] };
      const idless: SeedEntryInput = { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/e'] };
      await kms.seed([entry, idless]);
      expect(generated).to.equal(2);
      expect((await kms.describeKey({ KeyId: id(51) })).KeyMetadata.CreationDate.toISOString()).to.equal('2030-05-01T00:00:00.000Z');
      for (let i = 0; i < 3; i += 1) expect(statuses(await kms.seed([entry, idless]))).to.deep.equal(['unchanged', 'unchanged']);
      expect(generated).to.equal(2);
    });

    it('honours an aborted signal before anything happens', async () => {
      const kms = newKms();
      const error = await rejection(
        kms.seed([{ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }], { abortSignal: AbortSignal.abort() }),
      );
      expect(error.name).to.equal('AbortError');
      expect((await kms.listKeys({})).Keys).to.have.length(0);
    });
  });
});

describe('adapters/simulator/seed — the example of docs/kms-behaviour.md §17', () => {
  it('is a valid seed: four entries, three created in us-east-1, one skipped; seeding it again changes nothing', async () => {
    const { readFileSync } = await import('node:fs');
    const docs = readFileSync(new URL('../../../../docs/kms-behaviour.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('## 17. Seeding'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] as string;
    const fixture = readFileSync(new URL('../../../../fixtures/seed/provider-kid.yaml', import.meta.url), 'utf8');
    const pemBody = /-----BEGIN PRIVATE KEY-----\n([\s\S]*?)\n\s*-----END/.exec(fixture)?.[1] as string;
    const text = example.replace('      …', pemBody);
    const kms = newKms();
    expect(statuses(await kms.seed(text, { source: 'docs' }))).to.deep.equal(['created', 'created', 'created', 'skipped']);
    expect(statuses(await kms.seed(text))).to.deep.equal(['unchanged', 'unchanged', 'unchanged', 'skipped']);
  });
});

describe('adapters/simulator/seed — idempotency (property)', () => {
  const SPECS = [
    ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
    ['HMAC_256', 'GENERATE_VERIFY_MAC'],
    ['HMAC_512', 'GENERATE_VERIFY_MAC'],
    ['ECC_NIST_P256', 'SIGN_VERIFY'],
    ['ECC_NIST_P256', 'KEY_AGREEMENT'],
    ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY'],
  ] as const;
  const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
  const entryArbitrary = fc.record(
    {
      spec: fc.constantFrom(...SPECS),
      withId: fc.boolean(),
      aliases: fc.uniqueArray(word, { maxLength: 3 }),
      tags: fc.dictionary(word, fc.string({ maxLength: 10 }), { maxKeys: 4 }),
      description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      enabled: fc.option(fc.boolean(), { nil: undefined }),
    },
    { requiredKeys: ['spec', 'withId', 'aliases', 'tags'] },
  );

  /** Every key as the KMS API shows it: metadata, tags and aliases. */
  async function snapshot(kms: SimulatedKms): Promise<unknown[]> {
    const keys = (await kms.listKeys({})).Keys;
    return Promise.all(
      keys.map(async ({ KeyId }) => [
        (await kms.describeKey({ KeyId: KeyId as string })).KeyMetadata,
        (await kms.listResourceTags({ KeyId: KeyId as string })).Tags,
        (await kms.listAliases({ KeyId: KeyId as string })).Aliases,
        (await kms.getPublicKey({ KeyId: KeyId as string }).catch(() => undefined))?.PublicKey,
      ]),
    );
  }

  it('seeding the same entries again reports every entry unchanged and changes nothing the API shows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entryArbitrary, { maxLength: 5 }), async (drawn) => {
        // entries without a KeyId are idempotent only through their aliases: give each at least one
        const entries: SeedEntryInput[] = drawn.map((d, i) => ({
          ...(d.withId ? { KeyId: id(100 + i) } : {}),
          KeySpec: d.spec[0],
          KeyUsage: d.spec[1],
          Aliases: [...(d.withId ? [] : [`alias/e${i}`]), ...d.aliases.map((a) => `alias/e${i}/${a}`)],
          Tags: d.tags,
          ...(d.description === undefined ? {} : { Description: d.description }),
          ...(d.enabled === undefined ? {} : { Enabled: d.enabled }),
        }));
        const kms = newKms();
        const first = await kms.seed(entries);
        expect(first.created).to.have.length(entries.length);
        const before = await snapshot(kms);
        const again = await kms.seed(entries);
        expect(statuses(again)).to.deep.equal(entries.map(() => 'unchanged'));
        expect(again.entries.map((e) => e.keyId)).to.deep.equal(first.entries.map((e) => e.keyId));
        expect(await snapshot(kms)).to.deep.equal(before);
      }),
      { numRuns: 30 },
    );
  });
});
