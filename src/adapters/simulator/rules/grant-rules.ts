import type { GrantConstraints, KmsGrantOperation, KmsKeySpec, KmsKeyUsage } from '../../../ports/kms.port.js';
import { KmsException } from '../../kms-exception.js';
import { validationException } from '../model/exceptions.js';

/**
 * The refusals of CreateGrant (docs/kms-behaviour.md §22): the operations a grant may allow depend on the key
 * (AWS's "grant operations" per key type), constraints only for operations that take an encryption context,
 * and a Name reused with other parameters.
 */

const ON_EVERY_KEY: readonly KmsGrantOperation[] = ['CreateGrant', 'DescribeKey', 'RetireGrant'];

/** The grant operations a key of this usage and spec allows, besides CreateGrant, DescribeKey and RetireGrant. */
export function grantOperationsFor(usage: KmsKeyUsage, spec: KmsKeySpec): readonly KmsGrantOperation[] {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      return spec === 'SYMMETRIC_DEFAULT'
        ? ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
           'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo']
        : ['Decrypt', 'Encrypt', 'GetPublicKey', 'ReEncryptFrom', 'ReEncryptTo'];
    case 'SIGN_VERIFY':
      return ['GetPublicKey', 'Sign', 'Verify'];
    case 'GENERATE_VERIFY_MAC':
      return ['GenerateMac', 'VerifyMac'];
    case 'KEY_AGREEMENT':
      return ['DeriveSharedSecret', 'GetPublicKey'];
    case 'ENCAPSULATE_DECAPSULATE':
      return ['Decapsulate', 'Encapsulate', 'GetPublicKey'];
  }
}

/** The grant operations that take an encryption context: the only ones a constraint may go with. */
const WITH_CONTEXT: ReadonlySet<KmsGrantOperation> = new Set<KmsGrantOperation>([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
]);

/**
 * Operations: at least one; each allowed on this key (`ValidationException: Grant operations <ops> are not
 * permitted for key <spec> with usage <usage>`, the refused ones in request order). Constraints: at most one of
 * the two, and only when every operation takes an encryption context.
 */
export function checkGrantRequest(
  operations: readonly KmsGrantOperation[],
  constraints: GrantConstraints | undefined,
  key: { keyUsage: KmsKeyUsage; keySpec: KmsKeySpec },
): void {
  const allowed = new Set([...ON_EVERY_KEY, ...grantOperationsFor(key.keyUsage, key.keySpec)]);
  const refused = [...new Set(operations.filter((operation) => !allowed.has(operation)))];
  if (refused.length > 0) {
    throw validationException(
      `Grant operations ${refused.join(', ')} are not permitted for key ${key.keySpec} with usage ${key.keyUsage}`,
    );
  }
  if (constraints === undefined) return;
  const { EncryptionContextSubset: subset, EncryptionContextEquals: equals } = constraints;
  if (subset !== undefined && equals !== undefined) {
    throw validationException('EncryptionContextSubset and EncryptionContextEquals cannot both be set');
  }
  if ((subset !== undefined || equals !== undefined) && operations.some((operation) => !WITH_CONTEXT.has(operation))) {
    throw validationException(
      'Grant constraints are only supported for operations that take an encryption context: ' +
        operations.filter((operation) => !WITH_CONTEXT.has(operation)).join(', '),
    );
  }
}

/** A GrantId of no grant of the key (RevokeGrant, RetireGrant by KeyId and GrantId). */
export function grantNotFound(grantId: string): KmsException {
  return new KmsException('NotFoundException', `Grant ID ${grantId} not found`, 'client');
}

/** A GrantId that is not 64 hex characters. */
export function invalidGrantId(): KmsException {
  return new KmsException('InvalidGrantIdException', 'Invalid grant ID', 'client');
}

/** RetireGrant names no grant: neither a GrantToken nor a KeyId with a GrantId. */
export function retireWithoutGrant(): KmsException {
  return validationException('Either GrantToken or both KeyId and GrantId must be specified');
}

export const GRANT_ID = /^[0-9a-f]{64}$/;
