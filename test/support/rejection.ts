/** The error a promise rejects with; a promise that resolves fails the test. */
import { expect } from 'chai';

export async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  return expect.fail('expected a rejection');
}
