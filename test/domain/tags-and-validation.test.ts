import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_CALLER_TAGS, validateCallerTags, validateLabel } from '../../src/domain/tags.js';
import {
  describe as describeValue,
  integerInRange,
  optionsObject,
  validateBytes,
  validatePendingWindow,
  validateVersion,
} from '../../src/domain/validation.js';
import { buildKmsTags, readKmsTags } from '../../src/domain/saur-tags.js';
import {
  ConflictError,
  InvalidArgumentError,
  InvalidKeyStateError,
  KeyNotFoundError,
  KeyProviderError,
  KmsError,
  UnsupportedAlgorithmError,
  UnsupportedOperationError,
} from '../../src/domain/errors.js';

describe('domain/tags', () => {
  it('keeps valid caller tags', () => {
    expect(validateCallerTags(undefined)).to.deep.equal({});
    expect(validateCallerTags({ team: 'identity', 'cost center': 'a_b.c:d/e=f+g-h@i', empty: '' })).to.deep.equal({
      team: 'identity',
      'cost center': 'a_b.c:d/e=f+g-h@i',
      empty: '',
    });
  });

  it('refuses reserved keys, any case', () => {
    for (const key of ['aws:x', 'AWS:x', 'saur:kid', 'Saur:x', 'kms:key_id', 'alg', 'label']) {
      expect(() => validateCallerTags({ [key]: 'v' }), key).to.throw(InvalidArgumentError, /reserved/);
    }
  });

  it('refuses bad shapes, lengths and characters', () => {
    expect(() => validateCallerTags('a=b')).to.throw(InvalidArgumentError, /tags must be an object/);
    expect(() => validateCallerTags({ '': 'v' })).to.throw(InvalidArgumentError, /Tag key/);
    expect(() => validateCallerTags({ ['k'.repeat(129)]: 'v' })).to.throw(InvalidArgumentError, /1–128/);
    expect(() => validateCallerTags({ 'a#b': 'v' })).to.throw(InvalidArgumentError, /Tag key/);
    expect(() => validateCallerTags({ k: 'v'.repeat(257) })).to.throw(InvalidArgumentError, /at most 256/);
    expect(() => validateCallerTags({ k: 5 })).to.throw(InvalidArgumentError, /string value/);
    expect(() => validateCallerTags({ k: 'a<b' })).to.throw(InvalidArgumentError, /string value/);
    const many = Object.fromEntries(Array.from({ length: MAX_CALLER_TAGS + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(() => validateCallerTags(many)).to.throw(InvalidArgumentError, /At most 46/);
  });

  it('labels', () => {
    expect(validateLabel(undefined)).to.equal(undefined);
    expect(validateLabel('')).to.equal(undefined);
    expect(validateLabel('jwt-signing')).to.equal('jwt-signing');
    expect(() => validateLabel(3)).to.throw(InvalidArgumentError, /label/);
    expect(() => validateLabel('x'.repeat(257))).to.throw(InvalidArgumentError, /label/);
    expect(() => validateLabel('semi;colon')).to.throw(InvalidArgumentError, /label/);
  });
});

describe('domain/saur-tags', () => {
  it('writes saur:kid, saur:version, saur:alg, saur:label (non-empty only), then caller tags, in that order', () => {
    expect(buildKmsTags({ kid: 'k', version: 2, alg: 'RSA_PSS_SHA256', label: 'l', callerTags: { team: 't' } })).to.deep.equal([
      { TagKey: 'saur:kid', TagValue: 'k' },
      { TagKey: 'saur:version', TagValue: '2' },
      { TagKey: 'saur:alg', TagValue: 'RSA_PSS_SHA256' },
      { TagKey: 'saur:label', TagValue: 'l' },
      { TagKey: 'team', TagValue: 't' },
    ]);
    expect(buildKmsTags({ kid: 'k', version: 1, alg: 'A', label: '', callerTags: {} })).to.have.length(3);
  });

  it('read ∘ build keeps every value', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{16}$/),
        fc.integer({ min: 1, max: 1e9 }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.string()),
        (kid, version, label, callerTags) => {
          const read = readKmsTags(buildKmsTags({ kid, version, alg: 'ECDSA_P256_SHA256', ...(label ? { label } : {}), callerTags }));
          expect(read).to.deep.equal({ kid, version, alg: 'ECDSA_P256_SHA256', ...(label ? { label } : {}), callerTags });
        },
      ),
    );
  });

  it('ignores malformed versions, unknown saur:* and aws:* tags', () => {
    expect(
      readKmsTags([
        { TagKey: 'saur:version', TagValue: '01' },
        { TagKey: 'saur:max_version', TagValue: 'x' },
        { TagKey: 'saur:future', TagValue: 'x' },
        { TagKey: 'aws:cloudformation:stack-id', TagValue: 'x' },
        { TagKey: 'owner', TagValue: 'me' },
      ]),
    ).to.deep.equal({ callerTags: { owner: 'me' } });
    expect(readKmsTags([{ TagKey: 'saur:max_version', TagValue: '7' }])).to.deep.equal({ maxVersion: 7, callerTags: {} });
  });
});

describe('domain/validation', () => {
  it('versions are integers >= 1', () => {
    expect(validateVersion(1)).to.equal(1);
    for (const bad of [0, -1, 1.5, '1', null, Number.NaN]) {
      expect(() => validateVersion(bad)).to.throw(InvalidArgumentError, /version must be an integer/);
    }
  });
  it('pending window 7–30', () => {
    expect(validatePendingWindow(7)).to.equal(7);
    expect(validatePendingWindow(30)).to.equal(30);
    for (const bad of [6, 31, 7.5, '7']) expect(() => validatePendingWindow(bad)).to.throw(InvalidArgumentError, /pendingWindowInDays/);
  });
  it('integerInRange, validateBytes, optionsObject', () => {
    expect(integerInRange(5, 'n', 0, 5)).to.equal(5);
    expect(() => integerInRange(6, 'n', 0, 5)).to.throw(InvalidArgumentError, 'n must be an integer from 0 to 5; got 6');
    expect(validateBytes(new Uint8Array(1), 'x')).to.have.length(1);
    expect(() => validateBytes([1], 'x')).to.throw(InvalidArgumentError, 'x must be a Uint8Array; got an array');
    expect(optionsObject(undefined, 'o')).to.deep.equal({});
    expect(optionsObject({ a: 1 }, 'o')).to.deep.equal({ a: 1 });
    expect(() => optionsObject(5, 'o')).to.throw(InvalidArgumentError, 'o must be an object; got 5');
  });
  it('describe renders values safely and briefly', () => {
    expect(describeValue('abc')).to.equal("'abc'");
    expect(describeValue('x'.repeat(100))).to.equal(`'${'x'.repeat(64)}…'`);
    expect(describeValue(1n)).to.equal('1');
    expect(describeValue(true)).to.equal('true');
    expect(describeValue(null)).to.equal('null');
    expect(describeValue(undefined)).to.equal('undefined');
    expect(describeValue({ secret: 'x' })).to.equal('an object');
    expect(describeValue(() => 1)).to.equal('a function');
  });
});

describe('domain/errors', () => {
  const classes = [
    [KeyNotFoundError, 'ERR_KEY_NOT_FOUND'],
    [UnsupportedAlgorithmError, 'ERR_UNSUPPORTED_ALGORITHM'],
    [InvalidArgumentError, 'ERR_INVALID_ARGUMENT'],
    [InvalidKeyStateError, 'ERR_INVALID_KEY_STATE'],
    [ConflictError, 'ERR_CONFLICT'],
    [UnsupportedOperationError, 'ERR_UNSUPPORTED_OPERATION'],
    [KmsError, 'ERR_KMS'],
  ] as const;
  for (const [Class, code] of classes) {
    it(`${Class.name}: code ${code} (static and instance), name, message, cause`, () => {
      const cause = new Error('inner');
      const error = new Class('boom', { cause });
      expect(error).to.be.instanceOf(KeyProviderError).and.instanceOf(Error);
      expect(error.code).to.equal(code);
      expect(Class.code).to.equal(code);
      expect(error.name).to.equal(Class.name);
      expect(error.message).to.equal('boom');
      expect(error.cause).to.equal(cause);
    });
  }
  it('KeyProviderError itself', () => {
    expect(new KeyProviderError('x').code).to.equal('ERR_KEY_PROVIDER');
    expect(KeyProviderError.code).to.equal('ERR_KEY_PROVIDER');
  });
});
