import { expect } from 'chai';
import fc from 'fast-check';
import {
  MAX_PREFIX_LENGTH,
  isKid,
  kidFromRandom,
  latestAliasName,
  normalizeAliasPrefix,
  parseAliasName,
  validateKid,
  versionAliasName,
} from '../../src/domain/alias-names.js';
import { InvalidArgumentError } from '../../src/domain/errors.js';

const kidArb = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => Buffer.from(b).toString('hex'));
const segment = fc.stringMatching(/^[a-zA-Z0-9_-]{1,12}$/);
const prefixArb = fc
  .array(segment, { minLength: 1, maxLength: 4 })
  .map((s) => s.join('/'))
  .filter((p) => p !== 'aws' && !p.startsWith('aws/'));

describe('domain/alias-names', () => {
  it('builds the Swarmauri alias names', () => {
    expect(latestAliasName('swarmauri', '0123456789abcdef')).to.equal('alias/swarmauri/0123456789abcdef');
    expect(versionAliasName('swarmauri', '0123456789abcdef', 2)).to.equal('alias/swarmauri/0123456789abcdef/v2');
  });

  it('parse ∘ build is the identity, for any prefix, kid and version', () => {
    fc.assert(
      fc.property(prefixArb, kidArb, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (prefix, kid, version) => {
        expect(parseAliasName(prefix, latestAliasName(prefix, kid))).to.deep.equal({ kid });
        expect(parseAliasName(prefix, versionAliasName(prefix, kid, version))).to.deep.equal({ kid, version });
      }),
    );
  });

  it('parses only the exact forms under the exact prefix', () => {
    const kid = '0123456789abcdef';
    for (const name of [
      `alias/other/${kid}`,
      `alias/swarmauri/sub/${kid}`,
      `alias/swarmauri/${kid.toUpperCase()}`,
      `alias/swarmauri/${kid}0`,
      `alias/swarmauri/${kid}/v0`,
      `alias/swarmauri/${kid}/v01`,
      `alias/swarmauri/${kid}/v`,
      `alias/swarmauri/${kid}/v1/x`,
      `alias/swarmauri/${kid}/v99999999999999999`,
      `alias/swarmauri/${kid}/v9999999999999999`,
      'alias/aws/s3',
    ]) {
      expect(parseAliasName('swarmauri', name), name).to.equal(undefined);
    }
    // a nested prefix does not see its parent's keys, nor the parent the nested ones
    expect(parseAliasName('a', `alias/a/b/${kid}`)).to.equal(undefined);
    expect(parseAliasName('a/b', `alias/a/${kid}`)).to.equal(undefined);
  });

  it('normalises and validates the prefix', () => {
    expect(normalizeAliasPrefix('/swarmauri/')).to.equal('swarmauri');
    expect(normalizeAliasPrefix('team/prod')).to.equal('team/prod');
    expect(normalizeAliasPrefix('a'.repeat(MAX_PREFIX_LENGTH))).to.have.length(MAX_PREFIX_LENGTH);
    for (const bad of ['', '/', 'a//b', 'has space', 'colon:x', 'ümlaut', 'a.b']) {
      expect(() => normalizeAliasPrefix(bad), bad).to.throw(InvalidArgumentError, /aliasPrefix/);
    }
    expect(() => normalizeAliasPrefix('aws')).to.throw(InvalidArgumentError, /reserved/);
    expect(() => normalizeAliasPrefix('/aws/x')).to.throw(InvalidArgumentError, /reserved/);
    expect(normalizeAliasPrefix('awsome')).to.equal('awsome');
    expect(() => normalizeAliasPrefix('a'.repeat(MAX_PREFIX_LENGTH + 1))).to.throw(InvalidArgumentError, /at most/);
    expect(() => normalizeAliasPrefix(7)).to.throw(InvalidArgumentError, /must be a string/);
  });

  it('every alias of a valid prefix fits the 256-character KMS limit', () => {
    const prefix = normalizeAliasPrefix('p'.repeat(MAX_PREFIX_LENGTH));
    expect(versionAliasName(prefix, 'f'.repeat(16), Number.MAX_SAFE_INTEGER).length).to.be.at.most(256);
  });

  it('kids: 16 lowercase hex from 8 random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 16 }), (bytes) => {
        const kid = kidFromRandom(bytes);
        expect(kid).to.equal(Buffer.from(bytes.subarray(0, 8)).toString('hex'));
        expect(isKid(kid)).to.equal(true);
        expect(validateKid(kid)).to.equal(kid);
      }),
    );
    expect(() => kidFromRandom(new Uint8Array(7))).to.throw(InvalidArgumentError);
    for (const bad of ['0123456789ABCDEF', '0123456789abcde', 'g123456789abcdef', 42, undefined]) {
      expect(isKid(bad)).to.equal(false);
      expect(() => validateKid(bad)).to.throw(InvalidArgumentError, /16 lowercase hex/);
    }
  });

  it("refuses a prefix starting with 'alias/' and says what to pass; a JWK kid says how to split it", () => {
    expect(() => normalizeAliasPrefix('alias/team/a')).to.throw(InvalidArgumentError, "(use 'team/a')");
    expect(() => normalizeAliasPrefix('/alias')).to.throw(InvalidArgumentError, "(use 'swarmauri')");
    expect(normalizeAliasPrefix('aliases')).to.equal('aliases');
    expect(() => validateKid('0123456789abcdef.12')).to.throw(InvalidArgumentError, "pass '0123456789abcdef' and version 12");
    expect(() => validateKid('0123456789abcdef.x')).to.throw(InvalidArgumentError, "got '0123456789abcdef.x'");
  });
});
