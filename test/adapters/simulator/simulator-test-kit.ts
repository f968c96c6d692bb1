/** Shared helpers of the SimulatedKms tests. */
import { expect } from 'chai';
import { KmsException } from '../../../src/adapters/kms-exception.js';
import { SimulatedKms, type SimulatedKmsOptions } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KeyMetadata, KmsKeySpec, KmsKeyUsage } from '../../../src/ports/kms.port.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';
export const ARN_PREFIX = `arn:aws:kms:${REGION}:${ACCOUNT}`;
export const DAY_MS = 86_400_000;

export const keyArn = (keyId: string): string => `${ARN_PREFIX}:key/${keyId}`;
export const aliasArn = (aliasName: string): string => `${ARN_PREFIX}:${aliasName}`;
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A clock the test moves by hand. */
export class ManualClock {
  #ms: number;

  constructor(iso = '2026-01-01T00:00:00.000Z') {
    this.#ms = Date.parse(iso);
  }

  readonly now = (): Date => new Date(this.#ms);

  advance(ms: number): void {
    this.#ms += ms;
  }
}

export function newKms(options: SimulatedKmsOptions = {}): SimulatedKms {
  return new SimulatedKms({ region: REGION, accountId: ACCOUNT, ...options });
}

/**
 * Awaits `promise`, expects a KmsException with this name, `$fault` and (when given) exact message.
 */
export async function expectKmsError(
  promise: Promise<unknown>,
  name: string,
  message?: string | RegExp,
  fault: 'client' | 'server' = 'client',
): Promise<KmsException> {
  let thrown: unknown;
  try {
    await promise;
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) expect.fail(`expected ${name}, but the call succeeded`);
  expect(thrown, String(thrown)).to.be.instanceOf(KmsException);
  const error = thrown as KmsException;
  expect(error.name, error.message).to.equal(name);
  expect(error.$fault).to.equal(fault);
  if (typeof message === 'string') expect(error.message).to.equal(message);
  else if (message instanceof RegExp) expect(error.message).to.match(message);
  return error;
}

export async function createKey(kms: SimulatedKms, spec: KmsKeySpec = 'SYMMETRIC_DEFAULT', usage?: KmsKeyUsage): Promise<KeyMetadata> {
  const usageMember = usage ?? (spec === 'SYMMETRIC_DEFAULT' ? undefined : spec.startsWith('HMAC') ? 'GENERATE_VERIFY_MAC' : 'SIGN_VERIFY');
  const { KeyMetadata } = await kms.createKey({ KeySpec: spec, ...(usageMember === undefined ? {} : { KeyUsage: usageMember }) });
  return KeyMetadata;
}
