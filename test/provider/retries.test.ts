/**
 * Transient KMS failures: retried with capped exponential backoff and full jitter over ports that do not retry
 * themselves; never retried when not transient; never stacked on the AWS SDK adapter; an exhausted retry is a
 * typed error with the KMS error as cause, the context and the number of attempts in its message.
 */
import { expect } from 'chai';
import { AwsKmsKeyProvider, AwsSdkKms, InvalidArgumentError, InvalidKeyStateError, KmsError, SimulatedKms, type KeySpec } from '../../src/index.js';
import { backoffDelay, isRetryable, retryPolicy } from '../../src/provider/retry-policy.js';
import { instrument } from '../support/instrumented-kms.js';

const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };

function setup(retry?: Record<string, unknown> | false) {
  const kms = instrument(new SimulatedKms());
  const sleeps: number[] = [];
  const provider = new AwsKmsKeyProvider({
    kms: kms.kms,
    cache: false,
    retry: retry === false ? false : { random: () => 0.5, sleep: async (ms: number) => void sleeps.push(ms), ...retry },
  });
  return { kms, provider, sleeps };
}

describe('retries of transient KMS failures', () => {
  for (const name of ['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException', 'NetworkingError']) {
    it(`${name} is retried with backoff and the call succeeds`, async () => {
      const { kms, provider, sleeps } = setup();
      const ref = await provider.createKey(EC);
      kms.faults.push({ operation: 'describeKey', name, times: 2 });
      expect((await provider.getKey(ref.kid)).version).to.equal(1);
      expect(kms.operations().filter((op) => op === 'describeKey').length).to.be.at.least(3);
      expect(sleeps, 'full jitter (random 0.5) of 100 ms, then 200 ms').to.deep.equal([50, 100]);
    });
  }

  it('a non-retryable error is thrown at once', async () => {
    const { kms, provider, sleeps } = setup();
    const ref = await provider.createKey(EC);
    kms.reset();
    kms.faults.push({ operation: 'describeKey', name: 'AccessDeniedException', fault: 'client', times: 5 });
    const error = await provider.getKey(ref.kid).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KmsError);
    expect(kms.operations()).to.deep.equal(['describeKey']);
    expect(sleeps).to.deep.equal([]);
  });

  it('exhausted retries: a typed error, the KMS error as cause, the context and the attempts in the message', async () => {
    const { kms, provider } = setup({ maxAttempts: 4 });
    const ref = await provider.createKey(EC);
    kms.reset();
    kms.faults.push({ operation: 'describeKey', name: 'ThrottlingException', fault: 'client', times: 10 });
    const error = (await provider.getKey(ref.kid).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(KmsError);
    expect(error.cause).to.have.property('name', 'ThrottlingException');
    expect(error.message).to.match(new RegExp(`^Could not get kid ${ref.kid} \\(ThrottlingException: .*; gave up after 4 attempts\\)$`));
    expect(kms.operations()).to.deep.equal(['describeKey', 'describeKey', 'describeKey', 'describeKey']);
  });

  it('retry: false makes one attempt; over AwsSdkKms the provider adds none (the SDK retries)', async () => {
    const { kms, provider } = setup(false);
    const ref = await provider.createKey(EC);
    kms.reset();
    kms.faults.push({ operation: 'describeKey', name: 'ThrottlingException', times: 1 });
    expect(await provider.getKey(ref.kid).catch((e: unknown) => e)).to.be.instanceOf(KmsError);
    expect(kms.operations()).to.deep.equal(['describeKey']);

    const sdk = new AwsSdkKms({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    expect(sdk.retriesTransientErrors).to.equal(true);
    let sleeps = 0;
    const overSdk = new AwsKmsKeyProvider({ kms: sdk, retry: { sleep: async () => void (sleeps += 1) } });
    expect(await overSdk.getKey('0123456789abcdef').catch((e: unknown) => e)).to.be.instanceOf(KmsError);
    expect(sleeps, 'no provider retry stacked on the SDK').to.equal(0);
    sdk.destroy();
  });

  it('backoff: capped exponential with full jitter', () => {
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 });
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(policy, retry))).to.deep.equal([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(retryPolicy({ random: () => 0 }), 5)).to.equal(0);
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isRetryable(Object.assign(new Error('x'), { name: 'ValidationException' }))).to.equal(false);
  });

  it('bad retry options are refused with the valid choices named', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['yes', /options\.retry must be false or an object \{ maxAttempts\?, baseDelayMs\?, maxDelayMs\?, random\?, sleep\? \}/],
      [{ attempts: 3 }, /Unknown options\.retry member\(s\): attempts \(allowed: maxAttempts, baseDelayMs, maxDelayMs, random, sleep\)/],
      [{ maxAttempts: 0 }, /options\.retry\.maxAttempts must be an integer from 1 to 10/],
      [{ sleep: 5 }, /options\.retry\.sleep must be a function/],
    ];
    for (const [retry, message] of cases) {
      expect(() => new AwsKmsKeyProvider({ kms: new SimulatedKms(), retry } as never)).to.throw(InvalidArgumentError, message);
    }
  });
});

describe('rotateKey of a kid with no live version', () => {
  it('is refused with InvalidKeyStateError and creates nothing; after cancelKeyDeletion it rotates again', async () => {
    const { kms, provider } = setup();
    const ref = await provider.createKey(EC);
    await provider.rotateKey(ref.kid);
    await provider.destroyKey(ref.kid);
    kms.reset();
    const error = (await provider.rotateKey(ref.kid).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(InvalidKeyStateError);
    expect(error.message).to.equal(
      `kid ${ref.kid} has no live version: every version is pending deletion (cancelKeyDeletion restores them)`,
    );
    expect(kms.operations()).not.to.include('createKey');
    await provider.cancelKeyDeletion(ref.kid);
    expect((await provider.rotateKey(ref.kid)).version).to.equal(3);
  });
});
