import { expect } from 'chai';
import fc from 'fast-check';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { isKmsError } from '../../../src/adapters/kms-exception.js';
import type { CreateAliasRequest } from '../../../src/ports/kms.port.js';
import { ManualClock, aliasArn, createKey, expectKmsError, newKms } from './simulator-test-kit.js';

const PREFIX_MESSAGE =
  'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html';

/** The developer guide's rule, independent of the engine's code. */
function aliasNameAccepted(name: string): boolean {
  return (
    name.startsWith('alias/') &&
    name.length <= 256 &&
    /^[A-Za-z0-9/_-]+$/.test(name.slice('alias/'.length)) &&
    !name.startsWith('alias/aws/')
  );
}

describe('adapters/simulator/SimulatedKms — aliases', () => {
  describe('CreateAlias', () => {
    it('creates an alias usable as KeyId; ListAliases shows its name, ARN, target and dates', async () => {
      const clock = new ManualClock();
      const kms = newKms({ clock: clock.now });
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/app/signing_key-1', TargetKeyId: key.Arn });
      const { Aliases } = await kms.listAliases({ KeyId: key.KeyId });
      expect(Aliases).to.deep.equal([
        {
          AliasName: 'alias/app/signing_key-1',
          AliasArn: aliasArn('alias/app/signing_key-1'),
          TargetKeyId: key.KeyId,
          CreationDate: clock.now(),
          LastUpdatedDate: clock.now(),
        },
      ]);
      expect((await kms.describeKey({ KeyId: 'alias/app/signing_key-1' })).KeyMetadata.Arn).to.equal(key.Arn);
    });

    it('refuses an existing name, case-sensitively', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: key.KeyId });
      await expectKmsError(
        kms.createAlias({ AliasName: 'alias/app', TargetKeyId: key.KeyId }),
        'AlreadyExistsException',
        `An alias with the name ${aliasArn('alias/app')} already exists`,
      );
      await kms.createAlias({ AliasName: 'alias/App', TargetKeyId: key.KeyId });
    });

    it('checks the name: prefix, reserved prefix, characters, length', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      const create = (AliasName: string) => kms.createAlias({ AliasName, TargetKeyId: key.KeyId });
      await expectKmsError(create('app'), 'ValidationException', PREFIX_MESSAGE);
      await expectKmsError(create('alias/aws/app'), 'NotAuthorizedException', '');
      await expectKmsError(create('alias/aws/'), 'NotAuthorizedException', '');
      await expectKmsError(create('alias/a:b'), 'ValidationException', 'alias/a:b contains invalid characters for an alias');
      await expectKmsError(create('alias/'), 'ValidationException', /after the prefix/);
      await expectKmsError(
        create('alias/a b'),
        'ValidationException',
        "1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
      );
      await expectKmsError(create(`alias/${'a'.repeat(251)}`), 'ValidationException', /Member must have length less than or equal to 256$/);
      await create(`alias/${'a'.repeat(250)}`);
      await create('alias/aws');
      await expectKmsError(
        kms.createAlias({ TargetKeyId: key.KeyId } as CreateAliasRequest),
        'ValidationException',
        "1 validation error detected: Value null at 'aliasName' failed to satisfy constraint: Member must not be null",
      );
    });

    it('targets keys by key ID or key ARN only, never an alias', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/first', TargetKeyId: key.KeyId });
      for (const target of ['alias/first', aliasArn('alias/first')]) {
        await expectKmsError(
          kms.createAlias({ AliasName: 'alias/second', TargetKeyId: target }),
          'ValidationException',
          'Aliases must refer to keys. Not aliases',
        );
      }
      const absent = '0b7e1d2c-3a4f-4e5d-8c6b-7a8f9e0d1c2b';
      await expectKmsError(
        kms.createAlias({ AliasName: 'alias/second', TargetKeyId: absent }),
        'NotFoundException',
        `Key 'arn:aws:kms:us-east-1:111122223333:key/${absent}' does not exist`,
      );
    });

    it('refuses a target pending deletion, accepts a disabled one', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.disableKey({ KeyId: key.KeyId });
      await kms.createAlias({ AliasName: 'alias/disabled', TargetKeyId: key.KeyId });
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      await expectKmsError(
        kms.createAlias({ AliasName: 'alias/pending', TargetKeyId: key.KeyId }),
        'KMSInvalidStateException',
        `${key.Arn} is pending deletion.`,
      );
    });

    it('lets exactly one of overlapping calls create a name', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => kms.createAlias({ AliasName: 'alias/race', TargetKeyId: key.KeyId })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      for (const r of results) if (r.status === 'rejected') expect(isKmsError(r.reason, 'AlreadyExistsException')).to.equal(true);
    });

    it('allows 50 aliases per key', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      const other = await createKey(kms);
      for (let i = 0; i < 50; i++) await kms.createAlias({ AliasName: `alias/a${i}`, TargetKeyId: key.KeyId });
      await expectKmsError(kms.createAlias({ AliasName: 'alias/a50', TargetKeyId: key.KeyId }), 'LimitExceededException');
      await kms.createAlias({ AliasName: 'alias/b', TargetKeyId: other.KeyId });
      await expectKmsError(kms.updateAlias({ AliasName: 'alias/b', TargetKeyId: key.KeyId }), 'LimitExceededException');
      await kms.updateAlias({ AliasName: 'alias/a0', TargetKeyId: key.KeyId });
    });

    it('accepts exactly the names the developer guide allows (property)', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      const unit = fc.constantFrom(...'aZ09/_-:. *é'.split(''));
      const tail = fc.string({ unit, maxLength: 12 });
      const name = fc.oneof(
        tail.map((t) => `alias/${t}`),
        tail.map((t) => `alias/aws/${t}`),
        tail,
        fc.integer({ min: 240, max: 270 }).map((n) => `alias/${'x'.repeat(n - 6)}`),
        fc.constantFrom('alias/', 'alias/aws', 'alias/aws/', 'ALIAS/x', 'alias//', 'alias/AWS/x', 'Alias/x', ''),
      );
      await fc.assert(
        fc.asyncProperty(name, async (aliasName) => {
          let error: unknown;
          try {
            await kms.createAlias({ AliasName: aliasName, TargetKeyId: key.KeyId });
          } catch (e) {
            error = e;
          }
          if (aliasNameAccepted(aliasName)) {
            expect(error, String(error)).to.equal(undefined);
            await kms.deleteAlias({ AliasName: aliasName });
          } else {
            expect(isKmsError(error), String(error)).to.equal(true);
            expect((error as Error).name).to.be.oneOf(['ValidationException', 'NotAuthorizedException']);
          }
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('UpdateAlias', () => {
    it('moves an alias to another key of the same type and usage, keeping CreationDate', async () => {
      const clock = new ManualClock();
      const kms = newKms({ clock: clock.now });
      const a = await createKey(kms, 'ECC_NIST_P256');
      const b = await createKey(kms, 'ECC_NIST_P384');
      await kms.createAlias({ AliasName: 'alias/current', TargetKeyId: a.KeyId });
      const created = clock.now();
      clock.advance(60_000);
      await kms.updateAlias({ AliasName: 'alias/current', TargetKeyId: b.Arn });
      const [entry] = (await kms.listAliases({ KeyId: b.KeyId })).Aliases;
      expect(entry).to.deep.include({ TargetKeyId: b.KeyId, CreationDate: created, LastUpdatedDate: clock.now() });
      expect((await kms.listAliases({ KeyId: a.KeyId })).Aliases).to.deep.equal([]);
    });

    it('refuses a key of another type or usage', async () => {
      const kms = newKms();
      const symmetric = await createKey(kms);
      const signing = await createKey(kms, 'ECC_NIST_P256');
      const agreement = await createKey(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
      const hmac = await createKey(kms, 'HMAC_256');
      await kms.createAlias({ AliasName: 'alias/sym', TargetKeyId: symmetric.KeyId });
      await kms.createAlias({ AliasName: 'alias/sig', TargetKeyId: signing.KeyId });
      await expectKmsError(
        kms.updateAlias({ AliasName: 'alias/sym', TargetKeyId: signing.KeyId }),
        'ValidationException',
        'Alias alias/sym cannot be changed from a symmetric key to an asymmetric key.',
      );
      await expectKmsError(
        kms.updateAlias({ AliasName: 'alias/sym', TargetKeyId: hmac.KeyId }),
        'ValidationException',
        'Alias alias/sym cannot be changed from a symmetric key to an HMAC key.',
      );
      await expectKmsError(
        kms.updateAlias({ AliasName: 'alias/sig', TargetKeyId: agreement.KeyId }),
        'ValidationException',
        'Alias alias/sig cannot be changed from a key with key usage SIGN_VERIFY to a key with key usage KEY_AGREEMENT.',
      );
    });

    it('needs an existing alias and a target not pending deletion; the current target may be pending', async () => {
      const kms = newKms();
      const a = await createKey(kms);
      const b = await createKey(kms);
      await expectKmsError(
        kms.updateAlias({ AliasName: 'alias/none', TargetKeyId: a.KeyId }),
        'NotFoundException',
        `Alias ${aliasArn('alias/none')} is not found.`,
      );
      await kms.createAlias({ AliasName: 'alias/x', TargetKeyId: a.KeyId });
      await kms.scheduleKeyDeletion({ KeyId: a.KeyId });
      await kms.updateAlias({ AliasName: 'alias/x', TargetKeyId: b.KeyId });
      await expectKmsError(
        kms.updateAlias({ AliasName: 'alias/x', TargetKeyId: a.KeyId }),
        'KMSInvalidStateException',
        `${a.Arn} is pending deletion.`,
      );
      await expectKmsError(kms.updateAlias({ AliasName: 'alias/x', TargetKeyId: 'alias/x' }), 'ValidationException', 'Aliases must refer to keys. Not aliases');
      await expectKmsError(kms.updateAlias({ AliasName: 'alias/aws/s3', TargetKeyId: b.KeyId }), 'NotAuthorizedException', '');
    });
  });

  describe('DeleteAlias', () => {
    it('deletes in every key state; an absent alias is NotFound; reserved names are not authorised', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/x', TargetKeyId: key.KeyId });
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      await kms.deleteAlias({ AliasName: 'alias/x' });
      await expectKmsError(kms.deleteAlias({ AliasName: 'alias/x' }), 'NotFoundException', `Alias ${aliasArn('alias/x')} is not found.`);
      await expectKmsError(kms.deleteAlias({ AliasName: 'alias/aws/ebs' }), 'NotAuthorizedException', '');
      await expectKmsError(kms.deleteAlias({ AliasName: 'x' }), 'ValidationException', PREFIX_MESSAGE);
    });
  });

  describe('ListAliases', () => {
    let kms: SimulatedKms;
    before(async () => {
      kms = newKms();
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/zeta', TargetKeyId: key.KeyId });
      await kms.createAlias({ AliasName: 'alias/alpha', TargetKeyId: key.KeyId });
    });

    it('lists by name, with the predefined AWS managed aliases that have no TargetKeyId', async () => {
      const { Aliases, Truncated } = await kms.listAliases({});
      expect(Truncated).to.equal(false);
      const names = Aliases.map((a) => a.AliasName);
      expect(names).to.deep.equal([...names].sort());
      expect(names).to.include.members(['alias/alpha', 'alias/zeta', 'alias/aws/s3', 'alias/aws/ebs']);
      const s3 = Aliases.find((a) => a.AliasName === 'alias/aws/s3');
      expect(s3).to.deep.equal({ AliasName: 'alias/aws/s3', AliasArn: aliasArn('alias/aws/s3') });
    });

    it('filters by key ID or key ARN, in any key state, without the predefined aliases', async () => {
      const other = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/other', TargetKeyId: other.KeyId });
      await kms.disableKey({ KeyId: other.KeyId });
      const { Aliases } = await kms.listAliases({ KeyId: other.Arn });
      expect(Aliases.map((a) => a.AliasName)).to.deep.equal(['alias/other']);
      const absent = '0b7e1d2c-3a4f-4e5d-8c6b-7a8f9e0d1c2b';
      await expectKmsError(kms.listAliases({ KeyId: absent }), 'NotFoundException', /does not exist$/);
    });

    it('takes Limit 1–100, default 50', async () => {
      const many = newKms();
      const key = await createKey(many);
      for (let i = 0; i < 45; i++) await many.createAlias({ AliasName: `alias/k${String(i).padStart(2, '0')}`, TargetKeyId: key.KeyId });
      const first = await many.listAliases({});
      expect(first.Aliases).to.have.length(50);
      expect(first.Truncated).to.equal(true);
      await many.listAliases({ Limit: 100 });
      await expectKmsError(
        many.listAliases({ Limit: 101 }),
        'ValidationException',
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
      );
      await expectKmsError(many.listAliases({ Limit: 0 }), 'ValidationException');
    });
  });
});
