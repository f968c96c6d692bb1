import { expect } from 'chai';
import fc from 'fast-check';
import { UnsecuredJWT, decodeJwt } from 'jose';
import { InvalidArgumentError } from '../../src/index.js';
import { MAX_SPAN_SECONDS, timeSpanSeconds } from '../../src/domain/time-span.js';

/** Every unit spelling jose documents for time spans, with its length in seconds. */
const UNITS: Array<[string, number]> = [
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((u): [string, number] => [u, 1]),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((u): [string, number] => [u, 60]),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((u): [string, number] => [u, 3600]),
  ...['d', 'day', 'days'].map((u): [string, number] => [u, 86_400]),
  ...['w', 'week', 'weeks'].map((u): [string, number] => [u, 604_800]),
  ...['y', 'yr', 'yrs', 'year', 'years'].map((u): [string, number] => [u, 31_557_600]),
];

describe('domain/time-span: timeSpanSeconds', () => {
  it('takes whole seconds as they are', () => {
    expect(timeSpanSeconds(0, 'x')).to.equal(0);
    expect(timeSpanSeconds(600, 'x')).to.equal(600);
    expect(timeSpanSeconds(MAX_SPAN_SECONDS, 'x')).to.equal(MAX_SPAN_SECONDS);
  });

  for (const [unit, seconds] of UNITS) {
    it(`'${unit}': ${seconds} s, with or without a space, in any case`, () => {
      expect(timeSpanSeconds(`2${unit}`, 'x')).to.equal(2 * seconds);
      expect(timeSpanSeconds(`2 ${unit.toUpperCase()}`, 'x')).to.equal(2 * seconds);
    });
  }

  it('rounds decimal values to whole seconds, as jose does', () => {
    expect(timeSpanSeconds('1.5h', 'x')).to.equal(5400);
    expect(timeSpanSeconds('0.5s', 'x')).to.equal(1);
    expect(timeSpanSeconds('0.4s', 'x')).to.equal(0);
  });

  it('agrees with jose: a span gives the same exp - now in jose setExpirationTime', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.constantFrom(...UNITS.map(([u]) => u)), fc.boolean(), (n, unit, space) => {
        const span = `${n}${space ? ' ' : ''}${unit}`;
        fc.pre(n * UNITS.find(([u]) => u === unit)![1] <= MAX_SPAN_SECONDS);
        const before = Math.floor(Date.now() / 1000);
        const { exp } = decodeJwt(new UnsecuredJWT({}).setExpirationTime(span).encode());
        const after = Math.floor(Date.now() / 1000);
        const ours = timeSpanSeconds(span, 'x');
        expect(exp! - ours).to.be.within(before, after);
      }),
    );
  });

  const refused: Array<[string, unknown, string]> = [
    ['a negative number', -1, 'got -1'],
    ['a fractional number', 1.5, 'got 1.5'],
    ['NaN', Number.NaN, 'got NaN'],
    ['a sign', '-1h', "got '-1h'"],
    ['a plus sign', '+1h', "got '+1h'"],
    ["'ago'", '1h ago', "got '1h ago'"],
    ["'from now'", '1h from now', "got '1h from now'"],
    ['an unknown unit', '1fortnight', "got '1fortnight'"],
    ['a bare number string', '600', "got '600'"],
    ['an exponent', '1e3s', "got '1e3s'"],
    ['two spaces', '1  h', "got '1  h'"],
    ['a boolean', true, 'got true'],
    ['null', null, 'got null'],
  ];
  for (const [what, value, detail] of refused) {
    it(`refuses ${what}, naming the accepted forms`, () => {
      expect(() => timeSpanSeconds(value, 'options.expiresIn')).to.throw(
        InvalidArgumentError,
        `options.expiresIn must be a whole number of seconds, or a time span such as '90s'`,
      );
      expect(() => timeSpanSeconds(value, 'options.expiresIn')).to.throw(detail);
    });
  }

  it('refuses more than 100 years, as a number or a span', () => {
    expect(() => timeSpanSeconds(MAX_SPAN_SECONDS + 1, 'options.expiresIn')).to.throw(InvalidArgumentError, 'at most 100 years');
    expect(() => timeSpanSeconds('101y', 'options.expiresIn')).to.throw(InvalidArgumentError, 'at most 100 years');
  });
});
