import type { CreateCustomKeyStoreRequest, KmsKeySpec, KmsKeyUsage, KmsOrigin, UpdateCustomKeyStoreRequest } from '../../../ports/kms.port.js';
import { invalidOrigin, invalidState, keyStoreException, unsupported, validationException } from '../model/exceptions.js';
import { KEY_STATE_POLICY, type KeyOperation } from './key-state-policy.js';
import type { CustomKeyStoreRecord, KeyRecord, SimulatorStoreReader } from '../store/simulator-store.js';

/**
 * What the service requires of custom key stores beyond the shape (docs/kms-behaviour.md §23), as tables: the
 * members each store type takes, the members UpdateCustomKeyStore changes while CONNECTED, the uniqueness rules,
 * the connection states each operation needs, and what CreateKey requires of a key in a custom key store. The
 * texts are the simulator's where AWS's are not recorded (§23).
 */

export type KeyStoreType = CustomKeyStoreRecord['customKeyStoreType'];

/** The members of CreateCustomKeyStore (and UpdateCustomKeyStore) that belong to one store type only. */
export const TYPE_MEMBERS: Readonly<Record<KeyStoreType, readonly string[]>> = {
  AWS_CLOUDHSM: ['CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword'],
  EXTERNAL_KEY_STORE: [
    'XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyVpcEndpointServiceName', 'XksProxyVpcEndpointServiceOwner',
    'XksProxyAuthenticationCredential', 'XksProxyConnectivity',
  ],
};

/** What CreateCustomKeyStore requires of each store type (VPC_ENDPOINT_SERVICE also its service name). */
const REQUIRED_MEMBERS: Readonly<Record<KeyStoreType, readonly string[]>> = {
  AWS_CLOUDHSM: ['CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword'],
  EXTERNAL_KEY_STORE: ['XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity'],
};

/** UpdateCustomKeyStore members an external key store takes while CONNECTED; a CloudHSM key store takes none. */
const CONNECTED_UPDATES: Readonly<Record<KeyStoreType, readonly string[]>> = {
  AWS_CLOUDHSM: [],
  EXTERNAL_KEY_STORE: ['NewCustomKeyStoreName', 'XksProxyUriPath', 'XksProxyAuthenticationCredential'],
};

/** Custom key stores per account and Region (the service quota). */
export const CUSTOM_KEY_STORE_LIMIT = 10;

/** The one origin of the keys of each store type. */
export const ORIGIN_OF: Readonly<Record<KeyStoreType, KmsOrigin>> = {
  AWS_CLOUDHSM: 'AWS_CLOUDHSM',
  EXTERNAL_KEY_STORE: 'EXTERNAL_KEY_STORE',
};

/**
 * Operations AWS refuses for keys in a custom key store: UnsupportedOperationException with the origin text of
 * docs/kms-behaviour.md §21 (`<key ARN> origin is <Origin> which is not valid for this operation.`).
 */
export const UNSUPPORTED_IN_KEY_STORE: ReadonlySet<KeyOperation> = new Set<KeyOperation>(['EnableKeyRotation', 'DisableKeyRotation', 'RotateKeyOnDemand']);

const present = (input: object, name: string): boolean => (input as Record<string, unknown>)[name] !== undefined;

export const notFound = (): Error => keyStoreException('CustomKeyStoreNotFoundException', 'The specified custom key store was not found.');

export function nameInUse(name: string): Error {
  return keyStoreException('CustomKeyStoreNameInUseException', `The custom key store name ${name} is already in use in this account and Region.`);
}

/** CustomKeyStoreInvalidStateException: `<what>` is the state the operation needs. */
export function invalidStoreState(store: CustomKeyStoreRecord, what: string): Error {
  return keyStoreException(
    'CustomKeyStoreInvalidStateException',
    `Custom key store ${store.customKeyStoreId} is ${store.connectionState}; this operation is valid only when it is ${what}.`,
  );
}

/** CreateCustomKeyStore: the members of the store's type, all it requires, none of the other type's. */
export function checkStoreMembers(type: KeyStoreType, input: CreateCustomKeyStoreRequest): void {
  const other: KeyStoreType = type === 'AWS_CLOUDHSM' ? 'EXTERNAL_KEY_STORE' : 'AWS_CLOUDHSM';
  for (const name of TYPE_MEMBERS[other]) {
    if (present(input, name)) throw validationException(`${name} is not valid for a custom key store of type ${type}.`);
  }
  for (const name of REQUIRED_MEMBERS[type]) {
    if (!present(input, name)) throw validationException(`${name} is required for a custom key store of type ${type}.`);
  }
  if (type === 'EXTERNAL_KEY_STORE') checkConnectivity(input.XksProxyConnectivity, input.XksProxyVpcEndpointServiceName, input.XksProxyVpcEndpointServiceOwner);
}

/** VPC_ENDPOINT_SERVICE needs a service name; PUBLIC_ENDPOINT takes neither the name nor its owner. */
export function checkConnectivity(connectivity: string | undefined, serviceName: string | undefined, owner: string | undefined): void {
  if (connectivity === 'VPC_ENDPOINT_SERVICE' && serviceName === undefined) {
    throw validationException('XksProxyVpcEndpointServiceName is required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.');
  }
  if (connectivity === 'PUBLIC_ENDPOINT' && (serviceName !== undefined || owner !== undefined)) {
    throw validationException('XksProxyVpcEndpointServiceName and XksProxyVpcEndpointServiceOwner are not valid when XksProxyConnectivity is PUBLIC_ENDPOINT.');
  }
}

/** UpdateCustomKeyStore: only the store's own members, and while CONNECTED only those it takes then. */
export function checkUpdate(store: CustomKeyStoreRecord, input: UpdateCustomKeyStoreRequest): void {
  const type = store.customKeyStoreType;
  const other: KeyStoreType = type === 'AWS_CLOUDHSM' ? 'EXTERNAL_KEY_STORE' : 'AWS_CLOUDHSM';
  for (const name of TYPE_MEMBERS[other]) {
    if (present(input, name)) throw validationException(`${name} is not valid for a custom key store of type ${type}.`);
  }
  if (store.connectionState === 'DISCONNECTED') return;
  const changed = Object.keys(input).filter((name) => name !== 'CustomKeyStoreId' && present(input, name));
  if (changed.some((name) => !CONNECTED_UPDATES[type].includes(name))) throw invalidStoreState(store, 'DISCONNECTED');
}

/**
 * The stores' unique settings: one store per CloudHSM cluster; per external key store, the proxy URI (endpoint
 * and path) with public connectivity, the endpoint and the VPC endpoint service with VPC connectivity.
 */
export function checkUnique(candidate: CustomKeyStoreRecord, others: readonly CustomKeyStoreRecord[]): void {
  for (const other of others) {
    if (other.customKeyStoreId === candidate.customKeyStoreId) continue;
    if (other.customKeyStoreName === candidate.customKeyStoreName) throw nameInUse(candidate.customKeyStoreName);
    if (candidate.cloudHsmClusterId !== undefined && other.cloudHsmClusterId === candidate.cloudHsmClusterId) {
      throw keyStoreException('CloudHsmClusterInUseException', `The CloudHSM cluster ${candidate.cloudHsmClusterId} is already associated with a custom key store.`);
    }
    const [a, b] = [candidate.xksProxy, other.xksProxy];
    if (a === undefined || b === undefined) continue;
    if (a.vpcEndpointServiceName !== undefined && a.vpcEndpointServiceName === b.vpcEndpointServiceName) {
      throw keyStoreException('XksProxyVpcEndpointServiceInUseException', 'The VPC endpoint service is already associated with another external key store.');
    }
    if (a.connectivity === 'VPC_ENDPOINT_SERVICE' && a.uriEndpoint === b.uriEndpoint) {
      throw keyStoreException('XksProxyUriEndpointInUseException', 'The XKS proxy URI endpoint is already associated with another external key store.');
    }
    if (a.uriEndpoint === b.uriEndpoint && a.uriPath === b.uriPath) {
      throw keyStoreException('XksProxyUriInUseException', 'The XKS proxy URI (endpoint and path) is already associated with another external key store.');
    }
  }
}

/** What CreateKey asks of a custom key store, checked before any store is read. */
export interface KeyStorePlacement {
  readonly customKeyStoreId: string;
  readonly origin: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  readonly xksKeyId?: string;
}

/**
 * CreateKey's members for a key in a custom key store, in order: CustomKeyStoreId and a custom key store Origin
 * together, XksKeyId exactly with EXTERNAL_KEY_STORE, a symmetric encryption key only. Undefined for a key
 * outside any custom key store.
 */
export function keyStorePlacement(
  request: { Origin?: KmsOrigin; CustomKeyStoreId?: string; XksKeyId?: string },
  spec: KmsKeySpec,
  usage: KmsKeyUsage,
): KeyStorePlacement | undefined {
  const { Origin: origin, CustomKeyStoreId: id, XksKeyId: xksKeyId } = request;
  const inStore = origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE';
  if (xksKeyId !== undefined && origin !== 'EXTERNAL_KEY_STORE') throw validationException('XksKeyId is valid only with Origin EXTERNAL_KEY_STORE.');
  if (id === undefined) {
    if (inStore) throw validationException(`Origin ${origin} requires a CustomKeyStoreId.`);
    return undefined;
  }
  if (!inStore) throw validationException('CustomKeyStoreId requires Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE.');
  if (origin === 'EXTERNAL_KEY_STORE' && xksKeyId === undefined) throw validationException('Origin EXTERNAL_KEY_STORE requires an XksKeyId.');
  if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT') {
    throw unsupported('KMS keys in a custom key store must be symmetric encryption keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT).');
  }
  return { customKeyStoreId: id, origin, ...(xksKeyId === undefined ? {} : { xksKeyId }) };
}

/** The store a placement names, checked against it: found, of the Origin's type, CONNECTED. */
export function checkPlacementStore(placement: KeyStorePlacement, store: CustomKeyStoreRecord | undefined): CustomKeyStoreRecord {
  if (store === undefined) throw notFound();
  if (ORIGIN_OF[store.customKeyStoreType] !== placement.origin) {
    throw validationException(`Origin ${placement.origin} does not match custom key store ${store.customKeyStoreId} of type ${store.customKeyStoreType}.`);
  }
  if (store.connectionState !== 'CONNECTED') throw invalidStoreState(store, 'CONNECTED');
  return store;
}

export function xksKeyInUse(xksKeyId: string): Error {
  return keyStoreException('XksKeyAlreadyInUseException', `The external key ${xksKeyId} is already associated with a KMS key in this external key store.`);
}

/**
 * A found key of a custom key store, admitted to `operation` (after the key-state policy): refused where AWS does
 * not support keys in custom key stores, and — for the operations that need an Enabled key (the cryptographic
 * ones) — refused while its store is not CONNECTED, as AWS refuses a key whose state is then Unavailable:
 * `KMSInvalidStateException: <key ARN> is Unavailable.` DescribeKey still shows the key's own state (§23).
 */
export async function checkKeyStoreKey(store: SimulatorStoreReader, operation: KeyOperation, record: KeyRecord, arn: string): Promise<void> {
  if (UNSUPPORTED_IN_KEY_STORE.has(operation)) throw invalidOrigin(arn, record.origin);
  const { accepts } = KEY_STATE_POLICY[operation];
  if (!accepts.includes('Enabled') || accepts.includes('Unavailable') || record.customKeyStoreId === undefined) return;
  const keyStore = await store.getCustomKeyStore(record.customKeyStoreId);
  if (keyStore?.connectionState !== 'CONNECTED') throw invalidState(arn, 'Unavailable');
}
