import type { KmsMessageType, KmsSigningAlgorithm } from '../../../ports/kms.port.js';
import { EXTERNAL_MU_LENGTH, KEY_SPEC_RULES, digestLength, messageTypesOf } from '../model/key-spec-table.js';
import { requireAlgorithm, requireKeyUsage } from './key-usage-rules.js';
import type { KeyRecord } from '../store/simulator-store.js';
import { validationException } from '../model/exceptions.js';

/**
 * What Sign and Verify require of the key and the message beyond the shape (docs/kms-behaviour.md §7, §8).
 */

/** The key must be a SIGN_VERIFY key whose spec offers `algorithm` — InvalidKeyUsageException otherwise. */
export function checkSigningKey(
  record: KeyRecord,
  arn: string,
  operation: 'Sign' | 'Verify',
  algorithm: KmsSigningAlgorithm,
): void {
  requireKeyUsage(record, arn, 'SIGN_VERIFY', operation);
  requireAlgorithm(record, algorithm, KEY_SPEC_RULES[record.keySpec].signing);
}

/**
 * MessageType rules: ED25519_SHA_512 signs RAW messages only, ED25519_PH_SHA_512 DIGEST only, EXTERNAL_MU is for
 * ML_DSA_SHAKE_256 only (which takes RAW or EXTERNAL_MU, never DIGEST); a DIGEST must be exactly the algorithm's
 * hash length (`Digest is invalid length for algorithm <ALG>.`, recorded), an external mu 64 bytes.
 */
export function checkMessageType(
  algorithm: KmsSigningAlgorithm,
  messageType: KmsMessageType,
  messageLength: number,
): void {
  const allowed = messageTypesOf(algorithm);
  if (!allowed.includes(messageType)) {
    throw validationException(`MessageType ${messageType} is not valid for signing algorithm ${algorithm}.`);
  }
  if (messageType === 'DIGEST' && messageLength !== digestLength(algorithm)) {
    throw validationException(`Digest is invalid length for algorithm ${algorithm}.`);
  }
  if (messageType === 'EXTERNAL_MU' && messageLength !== EXTERNAL_MU_LENGTH) {
    throw validationException(
      `External mu is invalid length for algorithm ${algorithm}: it must be ${EXTERNAL_MU_LENGTH} bytes.`,
    );
  }
}
