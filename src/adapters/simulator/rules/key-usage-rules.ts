import type { KmsEncryptionAlgorithm, KmsKeyUsage, KmsMacAlgorithm } from '../../../ports/kms.port.js';
import { type RsaOaepAlgorithm, rsaOaepMaxPlaintext } from '../crypto/rsa-oaep.js';
import { KEY_SPEC_RULES, RSA_MODULUS_BITS } from '../model/key-spec-table.js';
import type { KeyRecord } from '../store/simulator-store.js';
import { invalidKeyUsage, validationException } from '../model/exceptions.js';

/**
 * What the cryptographic operations require of the key beyond its state (docs/kms-behaviour.md §5, §7, §9):
 * its usage, an algorithm its spec offers, and the rules that hold for RSA encryption only.
 */

/** `<key ARN> key usage is <USAGE> which is not valid for <Operation>.` (recorded for Verify). */
export function requireKeyUsage(record: KeyRecord, arn: string, usage: KmsKeyUsage, operation: string): void {
  if (record.keyUsage !== usage) {
    throw invalidKeyUsage(`${arn} key usage is ${record.keyUsage} which is not valid for ${operation}.`);
  }
}

/**
 * `Algorithm <ALG> is incompatible with key spec <SPEC>.`: recorded for MAC keys, and the text AWS gives for
 * Encrypt with an RSA key and the default SYMMETRIC_DEFAULT (`… SYMMETRIC_DEFAULT is incompatible with key spec
 * RSA_4096.`, reported by SDK users).
 */
export function requireAlgorithm<T extends string>(record: KeyRecord, algorithm: T, offered: readonly T[]): void {
  if (!offered.includes(algorithm)) {
    const message = `Algorithm ${algorithm} is incompatible with key spec ${record.keySpec}.`;
    throw invalidKeyUsage(message);
  }
}

/** Encrypt and Decrypt: an ENCRYPT_DECRYPT key whose spec offers `algorithm`. */
export function checkEncryptionKey(
  record: KeyRecord,
  arn: string,
  operation: 'Encrypt' | 'Decrypt' | 'ReEncrypt',
  algorithm: KmsEncryptionAlgorithm,
): void {
  requireKeyUsage(record, arn, 'ENCRYPT_DECRYPT', operation);
  requireAlgorithm(record, algorithm, KEY_SPEC_RULES[record.keySpec].encryption);
}

/**
 * GenerateDataKey (and its WithoutPlaintext and key-pair forms): symmetric encryption keys only (local-kms's text
 * for an RSA encryption key).
 */
export function checkDataKeyKey(record: KeyRecord, arn: string, operation = 'GenerateDataKey'): void {
  requireKeyUsage(record, arn, 'ENCRYPT_DECRYPT', operation);
  if (record.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw invalidKeyUsage(`${arn} key KeySpec is ${record.keySpec} which is not valid for ${operation}.`);
  }
}

/** GenerateMac and VerifyMac: a GENERATE_VERIFY_MAC key whose spec matches the MAC algorithm. */
export function checkMacKey(
  record: KeyRecord,
  arn: string,
  operation: 'GenerateMac' | 'VerifyMac',
  algorithm: KmsMacAlgorithm,
): void {
  requireKeyUsage(record, arn, 'GENERATE_VERIFY_MAC', operation);
  requireAlgorithm(record, algorithm, KEY_SPEC_RULES[record.keySpec].mac);
}

/** The RSA algorithm of a key whose algorithm check passed, or undefined for a symmetric key. */
export function rsaAlgorithmOf(record: KeyRecord, algorithm: KmsEncryptionAlgorithm): RsaOaepAlgorithm | undefined {
  if (RSA_MODULUS_BITS[record.keySpec] === undefined) return undefined;
  if (algorithm !== 'RSAES_OAEP_SHA_1' && algorithm !== 'RSAES_OAEP_SHA_256') {
    throw new Error(`encryption algorithm ${algorithm} passed the check for key spec ${record.keySpec}`);
  }
  return algorithm;
}

/** Asymmetric encryption binds no EncryptionContext: a non-empty one is refused (emulators' common text). */
export function refuseAsymmetricContext(context: Readonly<Record<string, string>> | undefined): void {
  if (context !== undefined && Object.keys(context).length > 0) {
    throw validationException('EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.');
  }
}

/** `Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.` (recorded). */
export function checkRsaPlaintextLength(record: KeyRecord, algorithm: RsaOaepAlgorithm, length: number): void {
  const max = rsaOaepMaxPlaintext(RSA_MODULUS_BITS[record.keySpec] as number, algorithm);
  if (length > max) {
    throw validationException(
      `Algorithm ${algorithm} and key spec ${record.keySpec} cannot encrypt data larger than ${max} bytes.`,
    );
  }
}
