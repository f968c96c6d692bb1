/**
 * parseSeed: every field of a seed entry is checked, and a problem names the source, the entry and the field.
 * Replay a property failure with FC_SEED=<seed>.
 */
import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../../src/domain/errors.js';
import { mlDsaPkcs8 } from '../../../../src/adapters/simulator/crypto/key-encoding.js';
import { parseSeed, readSeedEntries } from '../../../../src/adapters/simulator/seed/seed-parser.js';

const KEY_ID = '5eed0000-0000-4000-8000-000000000001';
const pem = (type: 'ec' | 'rsa' | 'ed25519', options: Record<string, unknown> = {}): string =>
  generateKeyPairSync(type as 'ec', options as { namedCurve: string }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const P256 = pem('ec', { namedCurve: 'prime256v1' });
const P384 = pem('ec', { namedCurve: 'secp384r1' });
const RSA_2048 = pem('rsa', { modulusLength: 2048 });
const ED25519 = pem('ed25519');
const SECRET_32 = Buffer.alloc(32, 7).toString('base64');
const mlDsaPem = (spec: 'ML_DSA_44' | 'ML_DSA_65', seed = new Uint8Array(32).fill(9)): string =>
  `-----BEGIN PRIVATE KEY-----\n${Buffer.from(mlDsaPkcs8(spec, seed)).toString('base64')}\n-----END PRIVATE KEY-----\n`;

/** A one-entry document as JSON (YAML parses it too). */
const doc = (entry: Record<string, unknown>): string => JSON.stringify({ Keys: [entry] });
const base = { KeyId: KEY_ID, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' };

function errorOf(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (e) {
    expect(e).to.be.instanceOf(InvalidArgumentError);
    return e as InvalidArgumentError;
  }
  return expect.fail('expected an InvalidArgumentError');
}

describe('adapters/simulator/seed — parseSeed', () => {
  it('reads YAML and JSON alike, normalising Tags to a list and defaulting Aliases and Tags to []', () => {
    const yaml = `
Keys:
  - KeyId: ${KEY_ID}
    KeySpec: HMAC_256
    KeyUsage: GENERATE_VERIFY_MAC
    Tags: { team: identity, tier: '1' }
    KeyMaterial: ${SECRET_32}
    Aliases: [alias/mac]
    Enabled: false
  - KeySpec: SYMMETRIC_DEFAULT
    KeyUsage: ENCRYPT_DECRYPT
    Region: eu-west-1
    AccountId: '444455556666'
    Description: d
    Tags:
      - { TagKey: a, TagValue: '' }
`;
    const json = JSON.stringify({
      Keys: [
        {
          KeyId: KEY_ID,
          KeySpec: 'HMAC_256',
          KeyUsage: 'GENERATE_VERIFY_MAC',
          Tags: { team: 'identity', tier: '1' },
          KeyMaterial: SECRET_32,
          Aliases: ['alias/mac'],
          Enabled: false,
        },
        {
          KeySpec: 'SYMMETRIC_DEFAULT',
          KeyUsage: 'ENCRYPT_DECRYPT',
          Region: 'eu-west-1',
          AccountId: '444455556666',
          Description: 'd',
          Tags: [{ TagKey: 'a', TagValue: '' }],
        },
      ],
    });
    const expected = [
      {
        KeyId: KEY_ID,
        KeySpec: 'HMAC_256',
        KeyUsage: 'GENERATE_VERIFY_MAC',
        Tags: [
          { TagKey: 'team', TagValue: 'identity' },
          { TagKey: 'tier', TagValue: '1' },
        ],
        KeyMaterial: SECRET_32,
        Aliases: ['alias/mac'],
        Enabled: false,
      },
      {
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Region: 'eu-west-1',
        AccountId: '444455556666',
        Description: 'd',
        Tags: [{ TagKey: 'a', TagValue: '' }],
        Aliases: [],
      },
    ];
    expect(parseSeed(yaml, 'a.yaml')).to.deep.equal(expected);
    expect(parseSeed(json, 'a.json')).to.deep.equal(expected);
  });

  it('accepts every importable private key form: PKCS#8, PKCS#1 (RSA), SEC1 (EC), ML-DSA seed form', () => {
    const rsa1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' });
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'sec1', format: 'pem' });
    const entries = [
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: rsa1 },
      { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: sec1 },
      { KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT', PrivateKeyPem: P384 },
      { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: ED25519 },
      { KeySpec: 'ML_DSA_65', KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: mlDsaPem('ML_DSA_65') },
    ];
    expect(parseSeed(JSON.stringify({ Keys: entries }))).to.have.length(5);
  });

  it('an empty Keys list is a valid seed', () => {
    expect(parseSeed('Keys: []')).to.deep.equal([]);
  });

  describe('refuses, naming the source, the entry and the field', () => {
    const KEY_SPECS =
      'SYMMETRIC_DEFAULT, RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, ' +
      'ECC_NIST_EDWARDS25519, HMAC_224, HMAC_256, HMAC_384, HMAC_512, ML_DSA_44, ML_DSA_65, ML_DSA_87, ML_KEM_512, ML_KEM_768, ' +
      'ML_KEM_1024';
    const E = `s.yaml: Keys[0] (KeyId '${KEY_ID}')`;
    const cases: Array<[string, string, string]> = [
      // [title, document, the message]
      ['YAML syntax', 'Keys: [\n  - a: [\n', 's.yaml: not a YAML or JSON document (line '],
      ['duplicate JSON keys', '{"Keys": [], "Keys": []}', 's.yaml: not a YAML or JSON document (line 1, column 14): Map keys must be unique'],
      ['an empty document', '', 's.yaml: a seed document must be a mapping with a Keys list; got nothing'],
      ['a list document', '[]', 's.yaml: a seed document must be a mapping with a Keys list; got a list'],
      ['no Keys', 'Other: 1', 's.yaml: unknown top-level field Other; a seed document has only Keys'],
      ['Keys not a list', 'Keys: {}', 's.yaml: Keys must be a list of keys; got a mapping'],
      ['an entry not a mapping', 'Keys: [1]', 's.yaml: Keys[0]: must be a mapping of key fields; got a number'],
      [
        'unknown fields',
        doc({ ...base, keyUsage: 'x', Colour: 'red' }),
        `${E}: has unknown fields keyUsage (did you mean KeyUsage?), Colour; the fields are KeyId, Region, AccountId, ` +
          'KeySpec, KeyUsage, Description, Tags, PrivateKeyPem, KeyMaterial, Aliases, Enabled',
      ],
      [
        'KeyId not a UUID',
        doc({ ...base, KeyId: 'my-key' }),
        "s.yaml: Keys[0] (KeyId 'my-key'): KeyId must be a key ID: a lowercase UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab; got 'my-key'",
      ],
      [
        'KeyId upper case',
        doc({ ...base, KeyId: KEY_ID.toUpperCase() }),
        `s.yaml: Keys[0] (KeyId '${KEY_ID.toUpperCase()}'): KeyId must be a key ID: a lowercase UUID`,
      ],
      ['Region', doc({ ...base, Region: 'Mars' }), `${E}: Region must look like 'us-east-1'; got 'Mars'`],
      ['AccountId short', doc({ ...base, AccountId: '1234' }), `${E}: AccountId must be 12 digits; got '1234'`],
      [
        'AccountId a YAML number',
        `Keys:\n  - KeyId: ${KEY_ID}\n    AccountId: 111122223333\n    KeySpec: ECC_NIST_P256\n    KeyUsage: SIGN_VERIFY\n`,
        `${E}: AccountId must be a string (quote it in YAML); got 111122223333`,
      ],
      ['KeySpec missing', doc({ KeyId: KEY_ID, KeyUsage: 'SIGN_VERIFY' }), `${E}: KeySpec is required: one of ${KEY_SPECS}`],
      ['KeySpec unknown', doc({ ...base, KeySpec: 'RSA_1024' }), `${E}: KeySpec must be one of ${KEY_SPECS}; got 'RSA_1024'`],
      ['KeySpec SM2', doc({ ...base, KeySpec: 'SM2' }), `${E}: KeySpec SM2 is not supported by the simulator`],
      ['KeyUsage missing', doc({ KeyId: KEY_ID, KeySpec: 'RSA_2048' }), `${E}: KeyUsage is required: for RSA_2048, ENCRYPT_DECRYPT or SIGN_VERIFY`],
      [
        'KeyUsage unknown',
        doc({ ...base, KeyUsage: 'SIGN' }),
        `${E}: KeyUsage must be one of SIGN_VERIFY, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT, ENCAPSULATE_DECAPSULATE; got 'SIGN'`,
      ],
      [
        'KeyUsage incompatible',
        doc({ ...base, KeySpec: 'HMAC_256' }),
        `${E}: KeyUsage SIGN_VERIFY is not valid for KeySpec HMAC_256; it takes GENERATE_VERIFY_MAC`,
      ],
      ['Description too long', doc({ ...base, Description: 'x'.repeat(8193) }), `${E}: Description must be at most 8192 characters; got 8193`],
      ['Description a number', doc({ ...base, Description: 5 }), `${E}: Description must be a string (quote it in YAML); got 5`],
      ['Tags not a list', doc({ ...base, Tags: 'a=b' }), `${E}: Tags must be a list of { TagKey, TagValue } or a mapping`],
      ['Tags value a number', doc({ ...base, Tags: { 'saur:version': 1 } }), `${E}: Tags.saur:version must be a string (quote it in YAML); got 1`],
      ['Tags extra member', doc({ ...base, Tags: [{ TagKey: 'a', TagValue: 'b', Key: 'c' }] }), `${E}: Tags[0] has unknown field Key`],
      ['Tags reserved', doc({ ...base, Tags: { 'AWS:x': 'y' } }), `${E}: Tags: Tags beginning with aws: are reserved`],
      [
        'Tags duplicate',
        doc({ ...base, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] }),
        `${E}: Tags: Duplicate tag keys`,
      ],
      ['Tags key too long', doc({ ...base, Tags: { ['k'.repeat(129)]: 'v' } }), `${E}: Tags: a TagKey must be 1 to 128 characters`],
      ['Tags value too long', doc({ ...base, Tags: { k: 'v'.repeat(257) } }), `${E}: Tags.k: a TagValue must be at most 256 characters; got 257`],
      [
        'too many tags',
        doc({ ...base, Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, ''])) }),
        `${E}: Tags: at most 50 tags on a key; got 51`,
      ],
      ['Aliases not a list', doc({ ...base, Aliases: 'alias/a' }), `${E}: Aliases must be a list of alias names ('alias/…'); got a string`],
      [
        'alias without prefix',
        doc({ ...base, Aliases: ['my-key'] }),
        `s.yaml: Keys[0] (KeyId '${KEY_ID}', 'my-key'): Aliases[0] 'my-key': Alias must start with the prefix "alias/".`,
      ],
      [
        'alias reserved',
        doc({ ...base, Aliases: ['alias/aws/s3'] }),
        `s.yaml: Keys[0] (KeyId '${KEY_ID}', 'alias/aws/s3'): Aliases[0] 'alias/aws/s3': alias/aws/ names belong to AWS managed keys`,
      ],
      [
        'alias characters',
        doc({ ...base, Aliases: ['alias/a:b'] }),
        `s.yaml: Keys[0] (KeyId '${KEY_ID}', 'alias/a:b'): Aliases[0] 'alias/a:b': alias/a:b contains invalid characters for an alias`,
      ],
      [
        'alias twice',
        doc({ ...base, Aliases: ['alias/a', 'alias/a'] }),
        `s.yaml: Keys[0] (KeyId '${KEY_ID}', 'alias/a'): Aliases lists 'alias/a' twice`,
      ],
      ['Enabled a string', doc({ ...base, Enabled: 'yes' }), `${E}: Enabled must be true or false; got 'yes'`],
      [
        'both materials',
        doc({ ...base, PrivateKeyPem: P256, KeyMaterial: SECRET_32 }),
        `${E}: has both PrivateKeyPem and KeyMaterial; give the one its KeySpec takes`,
      ],
      [
        'PEM for a symmetric key',
        doc({ ...base, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', PrivateKeyPem: P256 }),
        `${E}: PrivateKeyPem is only for asymmetric keys, not SYMMETRIC_DEFAULT (give KeyMaterial, the base64 of the secret)`,
      ],
      ['PEM of another curve', doc({ ...base, PrivateKeyPem: P384 }), `${E}: PrivateKeyPem is an EC key on secp384r1 (ECC_NIST_P384), not a ECC_NIST_P256 key`],
      ['PEM of another type', doc({ ...base, PrivateKeyPem: RSA_2048 }), `${E}: PrivateKeyPem is an RSA 2048 key, not a ECC_NIST_P256 key`],
      [
        'PEM of another RSA size',
        doc({ ...base, KeySpec: 'RSA_3072', PrivateKeyPem: RSA_2048 }),
        `${E}: PrivateKeyPem is an RSA 2048 key, not a RSA_3072 key`,
      ],
      [
        'PEM Ed25519 for P-256',
        doc({ ...base, PrivateKeyPem: ED25519 }),
        `${E}: PrivateKeyPem is an Ed25519 key (ECC_NIST_EDWARDS25519), not a ECC_NIST_P256 key`,
      ],
      [
        'PEM of a public key',
        doc({ ...base, PrivateKeyPem: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }) }),
        `${E}: PrivateKeyPem is a PUBLIC KEY, not a private key`,
      ],
      ['PEM not PEM', doc({ ...base, PrivateKeyPem: 'abc' }), `${E}: PrivateKeyPem is not PEM: no -----BEGIN …----- line`],
      [
        'PEM garbage',
        doc({ ...base, PrivateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }),
        `${E}: PrivateKeyPem is not a private key node:crypto can read`,
      ],
      [
        'PEM encrypted',
        doc({ ...base, PrivateKeyPem: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n' }),
        `${E}: PrivateKeyPem is encrypted; give the unencrypted private key`,
      ],
      [
        'ML-DSA of another parameter set',
        doc({ ...base, KeySpec: 'ML_DSA_44', PrivateKeyPem: mlDsaPem('ML_DSA_65') }),
        `${E}: PrivateKeyPem is an ML_DSA_65 key, not a ML_DSA_44 key`,
      ],
      [
        'ML-DSA not in the seed form',
        doc({ ...base, KeySpec: 'ML_DSA_44', PrivateKeyPem: P256 }),
        `${E}: PrivateKeyPem is not supported for ML_DSA_44: only the 32-byte seed form of RFC 9881 can be imported`,
      ],
      [
        'KeyMaterial for an asymmetric key',
        doc({ ...base, KeyMaterial: SECRET_32 }),
        `${E}: KeyMaterial is only for SYMMETRIC_DEFAULT and HMAC keys, not ECC_NIST_P256 (give PrivateKeyPem)`,
      ],
      [
        'KeyMaterial not base64',
        doc({ ...base, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyMaterial: 'not base64!' }),
        `${E}: KeyMaterial must be base64 (A–Z, a–z, 0–9, +, /, padded with =)`,
      ],
      [
        'KeyMaterial of the wrong length',
        doc({ ...base, KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', KeyMaterial: SECRET_32 }),
        `${E}: KeyMaterial must be 48 bytes for HMAC_384; got 32`,
      ],
      [
        'the second entry',
        JSON.stringify({ Keys: [base, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Aliases: ['alias/x'], Bad: 1 }] }),
        "s.yaml: Keys[1] ('alias/x'): has unknown field Bad",
      ],
    ];
    for (const [title, text, message] of cases) {
      it(title, () => {
        expect(errorOf(() => parseSeed(text, 's.yaml')).message).to.contain(message);
      });
    }
  });

  it('readSeedEntries checks entries given in code the same way (default source "seed")', () => {
    expect(errorOf(() => readSeedEntries([{ ...base, KeyUsage: 'ENCRYPT_DECRYPT' }])).message).to.equal(
      `seed: Keys[0] (KeyId '${KEY_ID}'): KeyUsage ENCRYPT_DECRYPT is not valid for KeySpec ECC_NIST_P256; it takes SIGN_VERIFY or KEY_AGREEMENT`,
    );
    expect(errorOf(() => readSeedEntries({})).message).to.equal('seed: Keys must be a list of keys; got a mapping');
  });

  it('no message quotes key material, whatever the document gets wrong around it', () => {
    const secrets = [P256, RSA_2048, SECRET_32];
    const body = (text: string): string[] => text.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    const wrong = fc.constantFrom<Record<string, unknown>>(
      { KeySpec: 'ECC_NIST_P384', PrivateKeyPem: P256 },
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', PrivateKeyPem: RSA_2048 },
      { KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC', KeyMaterial: SECRET_32 },
      { KeyMaterial: SECRET_32 },
      { KeyMaterial: 42, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' },
      { PrivateKeyPem: [P256] },
      { PrivateKeyPem: P256.replace('M', '*') },
    );
    fc.assert(
      fc.property(wrong, fc.boolean(), (overrides, asYaml) => {
        const entry = { ...base, ...overrides };
        const text = asYaml ? `Keys:\n  - ${JSON.stringify(entry)}\n  - [` : doc(entry);
        const { message } = errorOf(() => parseSeed(text));
        for (const secret of secrets) {
          for (const line of [...body(secret), secret.trim()]) expect(message).not.to.contain(line);
        }
      }),
    );
  });

  it('an unknown field, whatever its name, is refused by name', () => {
    const known = ['KeyId', 'Region', 'AccountId', 'KeySpec', 'KeyUsage', 'Description', 'Tags', 'PrivateKeyPem', 'KeyMaterial', 'Aliases', 'Enabled'];
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !known.includes(k) && k !== '__proto__'),
        (field) => {
          const message = errorOf(() => readSeedEntries([{ ...base, [field]: 'x' }], 'p')).message;
          expect(message).to.contain(`p: Keys[0] (KeyId '${KEY_ID}'): has unknown field ${field}`);
        },
      ),
    );
  });
});
