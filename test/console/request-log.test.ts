/** request-log.ts: the ring buffer of served KMS requests behind the console's Request log. */
import { expect } from 'chai';
import type { ServedKmsRequest } from '../../src/adapters/http/served-request.js';
import { InvalidArgumentError } from '../../src/domain/errors.js';
import { type LoggedRequest, RequestLog, matchesLogFilter } from '../../src/console/request-log.js';

const PARTITION = { accountId: '111122223333', region: 'eu-west-1' };

function served(n: number, extra: Partial<ServedKmsRequest> = {}): ServedKmsRequest {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    caller: { region: 'eu-west-1', accessKeyId: 'AKID' },
    operation: 'DescribeKey',
    key: `key-${n}`,
    status: 200,
    errorName: undefined,
    durationMs: 1.234,
    ...extra,
  };
}

describe('console request log (ring buffer)', () => {
  it('keeps the last `capacity` entries, newest first, with increasing ids', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 5; n++) log.record(served(n), PARTITION);
    expect(log.size).to.equal(3);
    expect(log.entries().map((e) => [e.id, e.key])).to.deep.equal([
      [5, 'key-5'],
      [4, 'key-4'],
      [3, 'key-3'],
    ]);
  });

  it('entries(afterId): only the newer ones (what a live view that has afterId needs)', () => {
    const log = new RequestLog(10);
    for (let n = 1; n <= 4; n++) log.record(served(n), PARTITION);
    expect(log.entries(2).map((e) => e.id)).to.deep.equal([4, 3]);
    expect(log.entries(4)).to.deep.equal([]);
  });

  it('an entry is the partition, operation, key, status, error name, duration and ISO time — frozen', () => {
    const log = new RequestLog(2);
    const entry = log.record(served(7, { operation: undefined, key: undefined, status: 400, errorName: 'UnknownOperationException' }), PARTITION);
    expect(entry).to.deep.equal({
      id: 1,
      time: '2026-01-01T00:00:07.000Z',
      accountId: '111122223333',
      region: 'eu-west-1',
      operation: '(unknown operation)',
      key: '',
      status: 400,
      errorName: 'UnknownOperationException',
      durationMs: 1.2,
    });
    expect(Object.isFrozen(entry)).to.equal(true);
  });

  it('tells its listeners of each new entry until they unsubscribe; a failing listener does not stop the others', () => {
    const log = new RequestLog(5);
    const seen: number[] = [];
    log.subscribe(() => {
      throw new Error('closed stream');
    });
    const stop = log.subscribe((e) => seen.push(e.id));
    log.record(served(1), PARTITION);
    stop();
    log.record(served(2), PARTITION);
    expect(seen).to.deep.equal([1]);
    expect(log.size).to.equal(2);
  });

  it('refuses a size that is not an integer from 1 to 100000', () => {
    for (const size of [0, -1, 1.5, 100_001, Number.NaN]) expect(() => new RequestLog(size)).to.throw(InvalidArgumentError, /uiLogSize/);
  });

  it('filters by operation (any letter case) and by status class', () => {
    const entry = (operation: string, status: number): LoggedRequest =>
      ({ id: 1, time: '', accountId: '', region: '', operation, key: '', status, errorName: '', durationMs: 0 }) as LoggedRequest;
    expect(matchesLogFilter(entry('CreateKey', 200), 'createkey', 'all')).to.equal(true);
    expect(matchesLogFilter(entry('CreateKey', 200), 'CreateAlias', 'all')).to.equal(false);
    expect(matchesLogFilter(entry('Sign', 200), '', 'success')).to.equal(true);
    expect(matchesLogFilter(entry('Sign', 400), '', 'success')).to.equal(false);
    expect(matchesLogFilter(entry('Sign', 400), '', 'client-error')).to.equal(true);
    expect(matchesLogFilter(entry('Sign', 500), '', 'client-error')).to.equal(false);
    expect(matchesLogFilter(entry('Sign', 503), '', 'server-error')).to.equal(true);
  });
});
