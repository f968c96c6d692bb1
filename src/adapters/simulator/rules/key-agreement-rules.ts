import type { KeyObject } from 'node:crypto';
import type { KmsEncapsulationAlgorithm, KmsKeyAgreementAlgorithm } from '../../../ports/kms.port.js';
import { peerPublicKey } from '../crypto/key-agreement.js';
import { ML_KEM_CIPHERTEXT_BYTES } from '../crypto/key-encapsulation.js';
import { isMlKem } from '../crypto/curves.js';
import type { MlKemSpec } from '../crypto/key-encoding.js';
import { invalidCiphertext, invalidKeyUsage, validationException } from '../model/exceptions.js';
import { KEY_SPEC_RULES } from '../model/key-spec-table.js';
import type { KeyRecord } from '../store/simulator-store.js';
import { requireAlgorithm, requireKeyUsage } from './key-usage-rules.js';

/**
 * What DeriveSharedSecret, Encapsulate and Decapsulate require of the key and the input beyond the shape and the
 * key state (docs/kms-behaviour.md §18, §19), in the order the simulator checks them: the usage, an algorithm
 * the spec offers, then the peer public key (its curve) or the ciphertext length.
 */

/** DeriveSharedSecret: a KEY_AGREEMENT key whose spec offers `algorithm`. */
export function checkKeyAgreementKey(record: KeyRecord, arn: string, algorithm: KmsKeyAgreementAlgorithm): void {
  requireKeyUsage(record, arn, 'KEY_AGREEMENT', 'DeriveSharedSecret');
  requireAlgorithm(record, algorithm, KEY_SPEC_RULES[record.keySpec].keyAgreement);
}

/**
 * The peer's public key: a DER SubjectPublicKeyInfo of an EC key on the KMS key's curve. Anything else is a
 * ValidationException (the text is the simulator's: AWS's is not recorded).
 */
export function checkPeerPublicKey(record: KeyRecord, spki: Uint8Array): KeyObject {
  const peer = peerPublicKey(record.keySpec, spki);
  if (!('problem' in peer)) return peer;
  switch (peer.problem) {
    case 'malformed':
      throw validationException('PublicKey is not a valid DER-encoded X.509 SubjectPublicKeyInfo.');
    case 'not-ec':
      throw validationException(`PublicKey must be an elliptic curve public key on the curve of key spec ${record.keySpec}.`);
    case 'curve':
      throw validationException(
        `PublicKey is on curve ${peer.curve}, which does not match key spec ${record.keySpec}.`,
      );
  }
}

/** Encapsulate and Decapsulate: an ENCAPSULATE_DECAPSULATE (ML-KEM) key whose spec offers `algorithm`. */
export function checkEncapsulationKey(
  record: KeyRecord,
  arn: string,
  operation: 'Encapsulate' | 'Decapsulate',
  algorithm: KmsEncapsulationAlgorithm,
): MlKemSpec {
  requireKeyUsage(record, arn, 'ENCAPSULATE_DECAPSULATE', operation);
  requireAlgorithm(record, algorithm, KEY_SPEC_RULES[record.keySpec].encapsulation ?? []);
  if (!isMlKem(record.keySpec)) throw invalidKeyUsage(`${arn} key spec ${record.keySpec} cannot ${operation}.`);
  return record.keySpec;
}

/** A ciphertext whose length is not the parameter set's: InvalidCiphertextException (empty message, as Decrypt). */
export function checkCiphertextLength(spec: MlKemSpec, ciphertext: Uint8Array): void {
  if (ciphertext.length !== ML_KEM_CIPHERTEXT_BYTES[spec]) throw invalidCiphertext();
}
