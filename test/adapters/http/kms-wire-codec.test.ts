import { expect } from 'chai';
import fc from 'fast-check';
import {
  KMS_OPERATIONS,
  WireSerializationError,
  type WireMembers,
  type WireShape,
  decodeMembers,
  decodeValue,
  encodeMembers,
  encodeValue,
  isBase64,
  operationForTarget,
} from '../../../src/adapters/http/kms-wire-codec.js';
import type { KmsPort } from '../../../src/ports/kms.port.js';

/** Every KmsPort method; the compiler checks this list against the interface. */
const PORT_METHODS = {
  createKey: 1, describeKey: 1, listKeys: 1, createAlias: 1, updateAlias: 1, deleteAlias: 1, listAliases: 1,
  getPublicKey: 1, tagResource: 1, untagResource: 1, listResourceTags: 1, enableKey: 1, disableKey: 1,
  scheduleKeyDeletion: 1, cancelKeyDeletion: 1, sign: 1, verify: 1, generateRandom: 1, encrypt: 1, decrypt: 1,
  generateDataKey: 1, generateMac: 1, verifyMac: 1,
  decapsulate: 1, deriveSharedSecret: 1, encapsulate: 1, getKeyLastUsage: 1,
  disableKeyRotation: 1, enableKeyRotation: 1, getKeyRotationStatus: 1, listKeyRotations: 1, rotateKeyOnDemand: 1,
  getKeyPolicy: 1, listKeyPolicies: 1, putKeyPolicy: 1, updateKeyDescription: 1,
  reEncrypt: 1, generateDataKeyWithoutPlaintext: 1, generateDataKeyPair: 1, generateDataKeyPairWithoutPlaintext: 1,
  createGrant: 1, listGrants: 1, listRetirableGrants: 1, retireGrant: 1, revokeGrant: 1,
  connectCustomKeyStore: 1, createCustomKeyStore: 1, deleteCustomKeyStore: 1, describeCustomKeyStores: 1,
  disconnectCustomKeyStore: 1, updateCustomKeyStore: 1,
  deleteImportedKeyMaterial: 1, getParametersForImport: 1, importKeyMaterial: 1,
  replicateKey: 1, updatePrimaryRegion: 1,
} satisfies Record<Exclude<keyof KmsPort, 'region'>, 1>;

function operation(name: string) {
  const op = KMS_OPERATIONS.get(name);
  if (op === undefined) throw new Error(`no operation ${name}`);
  return op;
}

function serializationError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(WireSerializationError);
    return (e as Error).message;
  }
  throw new Error('expected a WireSerializationError');
}

/** Values of a shape as the port holds them (Uint8Array, Date). */
function portValue(shape: WireShape): fc.Arbitrary<unknown> {
  switch (shape) {
    case 'string':
      return fc.string();
    case 'integer':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'blob':
      return fc.uint8Array({ maxLength: 64 });
    case 'timestamp':
      return fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true });
  }
  if ('list' in shape) return fc.array(portValue(shape.list), { maxLength: 3 });
  if ('map' in shape) return fc.dictionary(fc.string(), portValue(shape.map), { maxKeys: 3 });
  return portRecord(shape.struct);
}

function portRecord(members: WireMembers): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(Object.entries(members).map(([name, shape]) => [name, portValue(shape)]));
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

describe('KMS wire codec', () => {
  describe('operation table', () => {
    it('serves every KmsPort method under TrentService.<PascalCase>', () => {
      const methods = Object.keys(PORT_METHODS).sort();
      expect([...KMS_OPERATIONS.values()].map((op) => op.method).sort()).to.deep.equal(methods);
      for (const method of methods) {
        const name = method.charAt(0).toUpperCase() + method.slice(1);
        expect(operationForTarget(`TrentService.${name}`)?.method).to.equal(method);
      }
      expect(operationForTarget('TrentService.ScheduleKeyDeletion')?.name).to.equal('ScheduleKeyDeletion');
    });

    it('knows no other target', () => {
      for (const target of [undefined, '', 'CreateKey', 'TrentService.', 'TrentService.createKey', 'trentservice.CreateKey',
        'KMS.CreateKey', 'TrentService.NoSuchOperation', 'TrentService.constructor', 'TrentService.__proto__', ' TrentService.CreateKey']) {
        expect(operationForTarget(target), String(target)).to.equal(undefined);
      }
    });

    it('has no output for the void operations', () => {
      for (const name of ['CreateAlias', 'UpdateAlias', 'DeleteAlias', 'TagResource', 'UntagResource', 'EnableKey', 'DisableKey']) {
        expect(operation(name).output, name).to.equal(undefined);
      }
    });
  });

  describe('blobs', () => {
    it('decodes base64 to a plain Uint8Array, padding optional', () => {
      for (const text of ['AQID', 'AQIDBA==', 'AQIDBA', 'AQIDBAU=', 'AQIDBAU', '']) {
        const bytes = decodeValue('blob', text, 'Message');
        expect(bytes).to.be.instanceOf(Uint8Array);
        expect(Buffer.isBuffer(bytes)).to.equal(false);
        expect(Buffer.from(bytes as Uint8Array).toString('base64').replace(/=+$/, '')).to.equal(text.replace(/=+$/, ''));
      }
      expect([...(decodeValue('blob', '+/+/', 'Message') as Uint8Array)]).to.deep.equal([0xfb, 0xff, 0xbf]);
    });

    it('refuses what is not standard base64, naming the member', () => {
      for (const bad of ['!!!!', 'AQID\n', 'AQ ID', '-_-_', 'A', 'AQIDB', 'AQ==AQ==', 'AQ=', 'AQI==', '=AQI']) {
        expect(isBase64(bad), bad).to.equal(false);
        expect(serializationError(() => decodeValue('blob', bad, 'Message'))).to.equal("Expected a base64 string at 'Message'");
      }
      for (const bad of [1, true, [], {}, [1, 2]]) {
        expect(serializationError(() => decodeValue('blob', bad, 'Signature'))).to.contain("'Signature'");
      }
    });

    it('encodes bytes as base64, views of larger buffers included', () => {
      const buffer = new Uint8Array([9, 1, 2, 3, 9]);
      expect(encodeValue('blob', buffer.subarray(1, 4), 'Signature')).to.equal('AQID');
      expect(encodeValue('blob', new Uint8Array(0), 'Signature')).to.equal('');
      expect(() => encodeValue('blob', 'AQID', 'Signature')).to.throw(TypeError, "'Signature'");
    });

    it('round-trips any bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          const wire = encodeValue('blob', bytes, 'b') as string;
          expect(isBase64(wire)).to.equal(true);
          expect(decodeValue('blob', wire, 'b')).to.deep.equal(bytes);
        }),
      );
    });
  });

  describe('timestamps', () => {
    it('encodes a Date as epoch seconds, milliseconds as the fraction', () => {
      expect(encodeValue('timestamp', new Date('2019-04-30T00:00:00Z'), 'CreationDate')).to.equal(1_556_582_400);
      expect(encodeValue('timestamp', new Date('2019-04-30T00:00:00.123Z'), 'CreationDate')).to.equal(1_556_582_400.123);
      expect(() => encodeValue('timestamp', new Date(Number.NaN), 'CreationDate')).to.throw(TypeError);
      expect(() => encodeValue('timestamp', 1_556_582_400, 'CreationDate')).to.throw(TypeError);
    });

    it('decodes integral, fractional and exponent epoch numbers', () => {
      const decode = (json: string) => (decodeValue('timestamp', JSON.parse(json), 'CreationDate') as Date).toISOString();
      expect(decode('1.5565824E9')).to.equal('2019-04-30T00:00:00.000Z');
      expect(decode('1.5565824e+9')).to.equal('2019-04-30T00:00:00.000Z');
      expect(decode('1556582400')).to.equal('2019-04-30T00:00:00.000Z');
      expect(decode('1556582400.123')).to.equal('2019-04-30T00:00:00.123Z');
      expect(decode('1556582400.1239')).to.equal('2019-04-30T00:00:00.124Z');
      expect(decode('0')).to.equal('1970-01-01T00:00:00.000Z');
    });

    it('refuses a timestamp that is not a number of epoch seconds', () => {
      for (const bad of ['1556582400', '2019-04-30T00:00:00Z', true, [], {}]) {
        expect(serializationError(() => decodeValue('timestamp', bad, 'KeyMetadata.CreationDate'))).to.equal(
          "Expected a JSON number of epoch seconds at 'KeyMetadata.CreationDate'",
        );
      }
      expect(serializationError(() => decodeValue('timestamp', 1e300, 'DeletionDate'))).to.contain("'DeletionDate'");
    });

    it('round-trips any millisecond Date of years ±99999 through JSON text', () => {
      // Epoch seconds with a millisecond fraction stay exact in a double up to about ±2^41 s (year ±69 000);
      // beyond that the wire format itself (AWS's) cannot carry every millisecond.
      const range = { min: new Date('-099999-01-01T00:00:00Z'), max: new Date('+099999-12-31T23:59:59.999Z') };
      expect(Math.abs(range.min.getTime() / 1000)).to.be.lessThan(2 ** 42);
      fc.assert(
        fc.property(fc.date({ ...range, noInvalidDate: true }), (date) => {
          const text = JSON.stringify(encodeValue('timestamp', date, 't'));
          expect((decodeValue('timestamp', JSON.parse(text), 't') as Date).getTime()).to.equal(date.getTime());
        }),
      );
    });
  });

  describe('members', () => {
    it('converts the nested dates of KeyMetadata both ways', () => {
      const out = operation('DescribeKey').output as WireMembers;
      const metadata = {
        KeyId: 'k',
        CreationDate: new Date('2024-01-02T03:04:05.678Z'),
        DeletionDate: new Date('2024-02-01T00:00:00Z'),
        ValidTo: new Date('2025-01-01T00:00:00Z'),
        Enabled: false,
        SigningAlgorithms: ['RSASSA_PSS_SHA_256'],
        MultiRegionConfiguration: { PrimaryKey: { Arn: 'a', Region: 'r' }, ReplicaKeys: [{ Arn: 'b', Region: 's' }] },
      };
      const wire = encodeMembers(out, { KeyMetadata: metadata });
      expect(wire).to.deep.equal({
        KeyMetadata: {
          ...metadata,
          CreationDate: 1_704_164_645.678,
          DeletionDate: 1_706_745_600,
          ValidTo: 1_735_689_600,
        },
      });
      expect(decodeMembers(out, JSON.parse(JSON.stringify(wire)))).to.deep.equal({ KeyMetadata: metadata });
    });

    it('converts alias dates inside the Aliases list and ScheduleKeyDeletion DeletionDate', () => {
      const aliases = operation('ListAliases').output as WireMembers;
      const entry = { AliasName: 'alias/a', CreationDate: new Date(1000), LastUpdatedDate: new Date(2500) };
      const wire = encodeMembers(aliases, { Aliases: [entry, { AliasName: 'alias/aws/s3' }], Truncated: false });
      expect(wire).to.deep.equal({
        Aliases: [{ AliasName: 'alias/a', CreationDate: 1, LastUpdatedDate: 2.5 }, { AliasName: 'alias/aws/s3' }],
        Truncated: false,
      });
      const schedule = operation('ScheduleKeyDeletion').output as WireMembers;
      expect(decodeMembers(schedule, { KeyId: 'arn', DeletionDate: 1.5565824e9, PendingWindowInDays: 7 })).to.deep.equal({
        KeyId: 'arn',
        DeletionDate: new Date('2019-04-30T00:00:00Z'),
        PendingWindowInDays: 7,
      });
    });

    it('converts every blob member of the crypto operations', () => {
      const cases: Array<[string, 'input' | 'output', string[]]> = [
        ['Sign', 'input', ['Message']],
        ['Sign', 'output', ['Signature']],
        ['Verify', 'input', ['Message', 'Signature']],
        ['GetPublicKey', 'output', ['PublicKey']],
        ['GenerateRandom', 'output', ['Plaintext', 'CiphertextForRecipient']],
        ['Encrypt', 'input', ['Plaintext']],
        ['Encrypt', 'output', ['CiphertextBlob']],
        ['Decrypt', 'input', ['CiphertextBlob']],
        ['Decrypt', 'output', ['Plaintext', 'CiphertextForRecipient']],
        ['GenerateDataKey', 'output', ['CiphertextBlob', 'Plaintext', 'CiphertextForRecipient']],
        ['GenerateMac', 'input', ['Message']],
        ['GenerateMac', 'output', ['Mac']],
        ['VerifyMac', 'input', ['Message', 'Mac']],
      ];
      for (const [name, direction, blobs] of cases) {
        const members = operation(name)[direction] as WireMembers;
        const value = Object.fromEntries(blobs.map((b, i) => [b, new Uint8Array([i, 255])]));
        const wire = encodeMembers(members, value);
        const base64 = Object.fromEntries(blobs.map((b, i) => [b, Buffer.from([i, 255]).toString('base64')]));
        expect(wire, `${name} ${direction}`).to.deep.equal(base64);
        expect(decodeMembers(members, wire)).to.deep.equal(value);
      }
      const recipient = decodeMembers(operation('Decrypt').input, { Recipient: { AttestationDocument: 'AQI=' } });
      expect(recipient).to.deep.equal({ Recipient: { AttestationDocument: new Uint8Array([1, 2]) } });
    });

    it('names the nested member of the wrong JSON type', () => {
      const createKey = operation('CreateKey').input;
      const cases: Array<[unknown, string]> = [
        [{ Tags: {} }, "Expected a JSON array at 'Tags'"],
        [{ Tags: ['x'] }, "Expected a JSON object at 'Tags[0]'"],
        [{ Tags: [{ TagKey: 'a', TagValue: 'b' }, { TagKey: 1 }] }, "Expected a string at 'Tags[1].TagKey'"],
        [{ Tags: [null] }, "Expected a value (lists hold no nulls) at 'Tags[0]'"],
        [{ Description: 5 }, "Expected a string at 'Description'"],
        [{ MultiRegion: 'false' }, "Expected a boolean at 'MultiRegion'"],
      ];
      for (const [input, message] of cases) expect(serializationError(() => decodeMembers(createKey, input))).to.equal(message);
      const encrypt = operation('Encrypt').input;
      expect(serializationError(() => decodeMembers(encrypt, { EncryptionContext: { a: 1 } }))).to.equal(
        "Expected a string at 'EncryptionContext.a'",
      );
      expect(serializationError(() => decodeMembers(encrypt, { EncryptionContext: ['a'] }))).to.equal(
        "Expected a JSON object at 'EncryptionContext'",
      );
      expect(serializationError(() => decodeMembers(encrypt, { GrantTokens: ['a', 2] }))).to.equal("Expected a string at 'GrantTokens[1]'");
      const random = operation('GenerateRandom').input;
      for (const bad of [1.5, '4', 2 ** 53, Number.MAX_VALUE]) {
        expect(serializationError(() => decodeMembers(random, { NumberOfBytes: bad }))).to.equal("Expected an integer at 'NumberOfBytes'");
      }
      for (const body of [null, [], 'x', 1, true]) {
        expect(serializationError(() => decodeMembers(random, body))).to.equal('Expected a JSON object at the request body');
      }
    });

    it('drops unknown members, treats null as absent, and keeps any map key as data', () => {
      const sign = operation('Sign').input;
      expect(decodeMembers(sign, { KeyId: 'k', MessageType: null, Future: { x: 1 } })).to.deep.equal({ KeyId: 'k' });
      expect(decodeMembers(sign, Object.create({ KeyId: 'inherited' }))).to.deep.equal({});
      const context = decodeMembers(operation('Encrypt').input, JSON.parse('{"EncryptionContext":{"__proto__":"v","constructor":"c"}}'));
      const map = context['EncryptionContext'] as Record<string, string>;
      expect(Object.keys(map)).to.deep.equal(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(map)).to.equal(Object.prototype);
      expect(encodeMembers(operation('CancelKeyDeletion').output as WireMembers, { KeyId: 'arn', Extra: new Date() })).to.deep.equal({
        KeyId: 'arn',
      });
    });

    it('round-trips every input and output shape through JSON text', () => {
      const shapes = [...KMS_OPERATIONS.values()].flatMap((op) => (op.output === undefined ? [op.input] : [op.input, op.output]));
      const shapeAndValue = fc.constantFrom(...shapes).chain((members) => fc.tuple(fc.constant(members), portRecord(members)));
      fc.assert(
        fc.property(shapeAndValue, ([members, value]) => {
          const text = JSON.stringify(encodeMembers(members, value));
          expect(decodeMembers(members, JSON.parse(text))).to.deep.equal(value);
        }),
        { numRuns: 300 },
      );
    });
  });
});
