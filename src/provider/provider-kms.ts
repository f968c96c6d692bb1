/**
 * What the provider needs from KMS: the one list of every KMS operation it calls, and the port type cut to it.
 * Each collaborator (key directory, version writer, version retirement) types its KMS as a `Pick` of
 * `ProviderKms`, so the compiler refuses a call to an operation missing from the list; a test runs every
 * provider method and checks that the operations called are exactly this list.
 */
import type { KmsPort, RetriesTransientErrors } from '../ports/kms.port.js';
import { InvalidArgumentError } from '../domain/errors.js';

/** Every KMS operation the provider calls (the first five in the order the constructor always checked them). */
export const PROVIDER_KMS_OPERATIONS = [
  'createKey',
  'describeKey',
  'createAlias',
  'listAliases',
  'getPublicKey',
  'updateAlias',
  'deleteAlias',
  'tagResource',
  'listResourceTags',
  'scheduleKeyDeletion',
  'cancelKeyDeletion',
  'enableKey',
  'disableKey',
  'sign',
] as const satisfies ReadonlyArray<Exclude<keyof KmsPort, 'region'>>;

export type ProviderKmsOperation = (typeof PROVIDER_KMS_OPERATIONS)[number];

/** The part of a KmsPort the provider uses; any full KmsPort is one. */
export type ProviderKms = Pick<KmsPort, 'region' | ProviderKmsOperation> & Partial<RetriesTransientErrors>;

/** Checks that `kms` has every operation of PROVIDER_KMS_OPERATIONS, before the provider keeps it. */
export function requireProviderKms(kms: unknown): ProviderKms {
  if (typeof kms !== 'object' || kms === null) {
    throw new InvalidArgumentError('options.kms must be a KmsPort (e.g. new SimulatedKms())');
  }
  for (const op of PROVIDER_KMS_OPERATIONS) {
    if (typeof (kms as Record<string, unknown>)[op] !== 'function') {
      throw new InvalidArgumentError(`options.kms must be a KmsPort: it has no ${op}()`);
    }
  }
  return kms as ProviderKms;
}
