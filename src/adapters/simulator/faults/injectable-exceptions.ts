import type { KmsExceptionName } from '../../../ports/kms.port.js';

/**
 * The exception names a fault rule may inject (docs/kms-behaviour.md §16, "Fault injection"): every
 * `KmsExceptionName` — the list is checked against that union at compile time, both ways — and the `$fault` each
 * carries, as in the KMS API model (@aws-sdk/client-kms): server for KMSInternalException,
 * DependencyTimeoutException and KeyUnavailableException, and for the generic InternalFailure and
 * ServiceUnavailable; client for every other (ThrottlingException included).
 */
export const INJECTABLE_EXCEPTIONS = [
  'AlreadyExistsException', 'CloudHsmClusterInUseException', 'CloudHsmClusterInvalidConfigurationException',
  'CloudHsmClusterNotActiveException', 'CloudHsmClusterNotFoundException', 'CloudHsmClusterNotRelatedException',
  'ConflictException', 'CustomKeyStoreHasCMKsException', 'CustomKeyStoreInvalidStateException',
  'CustomKeyStoreNameInUseException', 'CustomKeyStoreNotFoundException', 'DependencyTimeoutException',
  'DisabledException', 'DryRunOperationException', 'ExpiredImportTokenException', 'IncorrectKeyException',
  'IncorrectKeyMaterialException', 'IncorrectTrustAnchorException', 'InvalidAliasNameException', 'InvalidArnException',
  'InvalidCiphertextException', 'InvalidGrantIdException', 'InvalidGrantTokenException', 'InvalidImportTokenException',
  'InvalidKeyUsageException', 'InvalidMarkerException', 'KeyUnavailableException', 'KMSInternalException',
  'KMSInvalidMacException', 'KMSInvalidSignatureException', 'KMSInvalidStateException', 'LimitExceededException',
  'MalformedPolicyDocumentException', 'NotFoundException', 'TagException', 'UnsupportedOperationException',
  'XksKeyAlreadyInUseException', 'XksKeyInvalidConfigurationException', 'XksKeyNotFoundException',
  'XksProxyIncorrectAuthenticationCredentialException', 'XksProxyInvalidConfigurationException',
  'XksProxyInvalidResponseException', 'XksProxyUriEndpointInUseException', 'XksProxyUriInUseException',
  'XksProxyUriUnreachableException', 'XksProxyVpcEndpointServiceInUseException',
  'XksProxyVpcEndpointServiceInvalidConfigurationException', 'XksProxyVpcEndpointServiceNotFoundException',
  'AccessDeniedException', 'IncompleteSignatureException', 'InternalFailure', 'InvalidClientTokenId',
  'InvalidSignatureException', 'MissingAuthenticationTokenException', 'NotAuthorizedException',
  'RequestEntityTooLargeException', 'RequestExpired', 'SerializationException', 'ServiceUnavailable',
  'ThrottlingException', 'UnknownOperationException', 'UnrecognizedClientException', 'ValidationException',
] as const satisfies readonly KmsExceptionName[];

type Missing = Exclude<KmsExceptionName, (typeof INJECTABLE_EXCEPTIONS)[number]>;
/** Fails to compile when a KmsExceptionName is missing from the list above. */
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

const SERVER_FAULTS: ReadonlySet<string> = new Set<KmsExceptionName>([
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
  'InternalFailure',
  'ServiceUnavailable',
]);

const NAMES: ReadonlySet<string> = new Set(INJECTABLE_EXCEPTIONS);

export function isInjectableException(name: unknown): name is KmsExceptionName {
  return typeof name === 'string' && NAMES.has(name);
}

/** `server` for the service's own failures, `client` for the rest. */
export function faultOf(name: KmsExceptionName): 'client' | 'server' {
  return SERVER_FAULTS.has(name) ? 'server' : 'client';
}
