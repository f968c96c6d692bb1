import type { KmsExceptionName } from '../../../ports/kms.port.js';
import { KmsException } from '../../kms-exception.js';

/**
 * Every exception the simulator throws, made in one place (docs/kms-behaviour.md §5): the exception name from
 * the typed `KmsExceptionName` list, and the service's text where it is recorded. No message ever carries key
 * material, plaintext, a signature or a MAC.
 */

function kmsException(name: KmsExceptionName, message: string, fault: 'client' | 'server' = 'client'): KmsException {
  return new KmsException(name, message, fault);
}

// ---- request shape and values -------------------------------------------------------------------------------

/** A request the service refuses before any key is looked at (shape, or a rule between members). */
export function validationException(message: string): KmsException {
  return kmsException('ValidationException', message);
}

/** What the simulator cannot do although AWS can (another Origin, multi-Region keys, SM2, …). */
export function unsupported(message: string): KmsException {
  return kmsException('UnsupportedOperationException', message);
}

/** An operation the key's Origin does not allow (rotation, import, keys in a custom key store: §21, §23, §24). */
export function invalidOrigin(arn: string, origin: string): KmsException {
  return unsupported(`${arn} origin is ${origin} which is not valid for this operation.`);
}

/** A broken invariant of the simulator itself: `$fault` server. */
export function internal(message: string): KmsException {
  return kmsException('KMSInternalException', message, 'server');
}

export function dryRun(): KmsException {
  return kmsException('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

/** The simulator has no grants (no CreateGrant), so any grant token is one AWS would not recognise. */
export function invalidGrantToken(): KmsException {
  return kmsException('InvalidGrantTokenException', 'The grant token is not valid.');
}

/** A Marker this engine did not give out for the same listing (docs/kms-behaviour.md §12). */
export function invalidMarker(): KmsException {
  return kmsException('InvalidMarkerException', 'Marker is not valid for this request');
}

// ---- identifiers (docs/kms-behaviour.md §2) ----------------------------------------------------------------

/** `Invalid keyId '<v>'`: a KeyId of no valid form, or of a form the operation does not take. */
export function invalidKeyId(value: string): KmsException {
  return kmsException('NotFoundException', `Invalid keyId '${value}'`);
}

/** `Invalid arn <region>`: an ARN of another Region. */
export function invalidArnRegion(region: string): KmsException {
  return kmsException('NotFoundException', `Invalid arn ${region}`);
}

/** `Key '<arn>' does not exist`. */
export function keyNotFound(keyArn: string): KmsException {
  return kmsException('NotFoundException', `Key '${keyArn}' does not exist`);
}

/** `Alias <alias ARN> is not found.` */
export function aliasNotFound(aliasArn: string): KmsException {
  return kmsException('NotFoundException', `Alias ${aliasArn} is not found.`);
}

// ---- key state (docs/kms-behaviour.md §6) ------------------------------------------------------------------

/** `<key ARN> is disabled.` */
export function disabled(keyArn: string): KmsException {
  return kmsException('DisabledException', `${keyArn} is disabled.`);
}

/** `<key ARN> is <what>.`: `pending deletion`, `not pending deletion`, `pending import`, … */
export function invalidState(keyArn: string, what: string): KmsException {
  return kmsException('KMSInvalidStateException', `${keyArn} is ${what}.`);
}

// ---- key usage and algorithms (docs/kms-behaviour.md §5, §7) -----------------------------------------------

export function invalidKeyUsage(message: string): KmsException {
  return kmsException('InvalidKeyUsageException', message);
}

// ---- cryptographic outcomes (docs/kms-behaviour.md §8, §9) --------------------------------------------------

/** Empty, as AWS sends it: nothing about the blob, the key or the context. */
export function invalidCiphertext(): KmsException {
  return kmsException('InvalidCiphertextException', '');
}

/** The text AWS sends (seen in CloudTrail records of Decrypt). */
export function incorrectKey(): KmsException {
  return kmsException(
    'IncorrectKeyException',
    'The key ID in the request does not identify a CMK that can perform this operation.',
  );
}

/** A signature that does not verify: empty message, as AWS sends it. */
export function invalidSignature(): KmsException {
  return kmsException('KMSInvalidSignatureException', '');
}

/** A MAC that does not verify: empty message, as AWS sends it. */
export function invalidMac(): KmsException {
  return kmsException('KMSInvalidMacException', '');
}

// ---- aliases, tags, policies, quotas (docs/kms-behaviour.md §10, §11) ---------------------------------------

/** `An alias with the name <alias ARN> already exists`. */
export function aliasAlreadyExists(aliasArn: string): KmsException {
  return kmsException('AlreadyExistsException', `An alias with the name ${aliasArn} already exists`);
}

/** The reserved `alias/aws/` prefix: empty message (as moto and local-kms). */
export function notAuthorized(): KmsException {
  return kmsException('NotAuthorizedException', '');
}

export function tagException(message: string): KmsException {
  return kmsException('TagException', message);
}

export function limitExceeded(message: string): KmsException {
  return kmsException('LimitExceededException', message);
}

/** RotateKeyOnDemand while an automatic rotation is due within 20 minutes (docs/kms-behaviour.md §21). */
export function conflict(message: string): KmsException {
  return kmsException('ConflictException', message);
}

export function malformedPolicy(message = 'Syntax errors in policy.'): KmsException {
  return kmsException('MalformedPolicyDocumentException', message);
}

/** A PolicyName other than `default` (moto's and LocalStack's text). */
export function policyNotFound(): KmsException {
  return kmsException('NotFoundException', 'No such policy exists');
}

// ---- custom key stores (docs/kms-behaviour.md §23) --------------------------------------------------------

/** The refusals of the custom key store rules (rules/custom-key-store-rules.ts), with the exception name given there. */
export function keyStoreException(name: KmsExceptionName, message: string): KmsException {
  return kmsException(name, message);
}

// ---- imported key material (docs/kms-behaviour.md §24) --------------------------------------------------------

/** The imported material is not key material of the key's spec, or not the material the key had before. */
export function incorrectKeyMaterial(message: string): KmsException {
  return kmsException('IncorrectKeyMaterialException', message);
}

/** The import token's 24 hours have passed. */
export function expiredImportToken(): KmsException {
  return kmsException('ExpiredImportTokenException', 'The import token has expired. Call GetParametersForImport for new ones.');
}

/** The import token is not one GetParametersForImport gave for this key (or this simulator has restarted since). */
export function invalidImportToken(): KmsException {
  return kmsException('InvalidImportTokenException', 'The import token is invalid for this KMS key.');
}

// ---- authorization (enforcePolicies, docs/kms-behaviour.md §26) ----------------------------------------------

/**
 * The caller may not perform `action` on the key: `explicit` when a Deny statement of the key policy refused it,
 * else no statement of the key policy (and no grant) allows it. IAM's texts, with the resource-based policy named.
 */
export function accessDenied(principal: string, action: string, keyArn: string, explicit: boolean): KmsException {
  const why = explicit
    ? 'with an explicit deny in a resource-based policy'
    : `because no resource-based policy allows the ${action} action`;
  return kmsException('AccessDeniedException', `User: ${principal} is not authorized to perform: ${action} on resource: ${keyArn} ${why}`);
}
