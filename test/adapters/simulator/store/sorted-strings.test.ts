/** SortedStrings against a plain model (a Set sorted on every read). Replay a failure with FC_SEED=<seed>. */
import { expect } from 'chai';
import fc from 'fast-check';
import { SortedStrings } from '../../../../src/adapters/simulator/store/sorted-strings.js';

describe('adapters/simulator/store/sorted-strings', () => {
  it('keeps code-unit order through adds and deletes, and pages after any position (property)', () => {
    const value = fc.string({ unit: 'binary', maxLength: 4 });
    const op = fc.oneof(
      fc.record({ add: fc.constant(true), value }),
      fc.record({ add: fc.constant(false), value }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), value, fc.integer({ min: 0, max: 6 }), (ops, after, limit) => {
        const sorted = new SortedStrings();
        const model = new Set<string>();
        for (const o of ops) {
          if (o.add) {
            sorted.add(o.value);
            model.add(o.value);
          } else {
            expect(sorted.delete(o.value)).to.equal(model.delete(o.value));
          }
        }
        const expected = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(sorted.values()).to.deep.equal(expected);
        expect(sorted.size).to.equal(model.size);
        expect(sorted.after(undefined, limit)).to.deep.equal(expected.slice(0, limit));
        expect(sorted.after(after, limit)).to.deep.equal(expected.filter((v) => v > after).slice(0, limit));
        for (const v of [after, ...expected]) expect(sorted.has(v)).to.equal(model.has(v));
      }),
      { numRuns: 300 },
    );
  });
});
