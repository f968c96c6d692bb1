import { expect } from 'chai';
import { withoutStack } from '../../../src/adapters/http/without-stack.js';
import { serialization, unknownOperation } from '../../../src/adapters/http/wire-error.js';

describe('KMS wire endpoint: errors made without a stack trace', () => {
  it('builds the error with no stack frames and restores Error.stackTraceLimit', () => {
    const limit = Error.stackTraceLimit;
    const error = withoutStack(() => new Error('refused'));
    expect(error.message).to.equal('refused');
    expect(error.stack).to.equal('Error: refused');
    expect(Error.stackTraceLimit).to.equal(limit);
    expect(new Error('x').stack).to.match(/\n\s+at /);
  });

  it('restores Error.stackTraceLimit when the factory throws', () => {
    const limit = Error.stackTraceLimit;
    expect(() =>
      withoutStack(() => {
        throw new TypeError('boom');
      }),
    ).to.throw(TypeError, 'boom');
    expect(Error.stackTraceLimit).to.equal(limit);
  });

  it('is how the endpoint makes its own error answers', () => {
    for (const error of [unknownOperation('Missing X-Amz-Target header.'), serialization('The request body is not valid JSON.')]) {
      expect(error.stack).to.not.match(/\n\s+at /);
    }
    expect(unknownOperation('Only POST is served.', 405, { Allow: 'POST' })).to.include({ status: 405, type: 'UnknownOperationException' });
  });
});
