/**
 * The KMS model of the custom key store operations (docs/kms-behaviour.md §23), spread into KMS_MODEL: members
 * and constraints as the KMS API reference gives them. KeyStorePassword and the XKS proxy credential are
 * sensitive (never echoed in a validation message).
 */
import { LIMIT, modelPattern } from './kms-members.js';
import { boolean, list, string, struct, timestamp } from './member-shape.js';


export const CUSTOM_KEY_STORE_TYPES = ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export const XKS_PROXY_CONNECTIVITY = ['PUBLIC_ENDPOINT', 'VPC_ENDPOINT_SERVICE'] as const;

export const CUSTOM_KEY_STORE_ID = string({ required: true, min: 1, max: 64 });
const NAME = string({ min: 1, max: 256 });
const CLUSTER_ID = string({ min: 19, max: 24 });
const PASSWORD = string({ min: 7, max: 32, sensitive: true });
const URI_ENDPOINT = string({ min: 10, max: 128, pattern: modelPattern('^https://[a-zA-Z0-9.-]+$') });
const URI_PATH = string({ min: 10, max: 128, pattern: modelPattern('^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$') });
const VPC_SERVICE = string({
  min: 20,
  max: 64,
  pattern: modelPattern('^com\\.amazonaws\\.vpce\\.([a-z]+-){2,3}\\d+\\.vpce-svc-[0-9a-z]{17}$'),
});
const VPC_OWNER = string({ min: 12, max: 12, pattern: modelPattern('^[0-9]{12}$') });
const CREDENTIAL = struct('XksProxyAuthenticationCredentialType', {
  AccessKeyId: string({ required: true, min: 20, max: 30, pattern: modelPattern('^[A-Z2-7]+$'), sensitive: true }),
  RawSecretAccessKey: string({ required: true, min: 43, max: 64, pattern: modelPattern('^[a-zA-Z0-9\\/+=]+$'), sensitive: true }),
});
const CONNECTIVITY = string({ enum: XKS_PROXY_CONNECTIVITY });
/** Members UpdateCustomKeyStore shares with CreateCustomKeyStore. */
const SETTINGS = {
  KeyStorePassword: PASSWORD,
  XksProxyUriEndpoint: URI_ENDPOINT,
  XksProxyUriPath: URI_PATH,
  XksProxyVpcEndpointServiceName: VPC_SERVICE,
  XksProxyVpcEndpointServiceOwner: VPC_OWNER,
  XksProxyAuthenticationCredential: CREDENTIAL,
  XksProxyConnectivity: CONNECTIVITY,
} as const;

const LIST_ENTRY = struct('CustomKeyStoresListEntry', {
  CustomKeyStoreId: string(),
  CustomKeyStoreName: string(),
  CloudHsmClusterId: string(),
  TrustAnchorCertificate: string(),
  ConnectionState: string(),
  ConnectionErrorCode: string(),
  CreationDate: timestamp(),
  CustomKeyStoreType: string(),
  XksProxyConfiguration: struct('XksProxyConfigurationType', {
    Connectivity: string(),
    AccessKeyId: string(),
    UriEndpoint: string(),
    UriPath: string(),
    VpcEndpointServiceName: string(),
    VpcEndpointServiceOwner: string(),
  }),
});

export const CUSTOM_KEY_STORE_MODEL = {
  connectCustomKeyStore: { input: { CustomKeyStoreId: CUSTOM_KEY_STORE_ID }, output: undefined },
  createCustomKeyStore: {
    input: {
      CustomKeyStoreName: { ...NAME, required: true },
      CloudHsmClusterId: CLUSTER_ID,
      TrustAnchorCertificate: string({ min: 1, max: 5000 }),
      CustomKeyStoreType: string({ enum: CUSTOM_KEY_STORE_TYPES }),
      ...SETTINGS,
    },
    output: { CustomKeyStoreId: string() },
  },
  deleteCustomKeyStore: { input: { CustomKeyStoreId: CUSTOM_KEY_STORE_ID }, output: undefined },
  describeCustomKeyStores: {
    input: {
      CustomKeyStoreId: string({ min: 1, max: 64 }),
      CustomKeyStoreName: NAME,
      Limit: LIMIT,
      Marker: string({ min: 1, max: 1024 }),
    },
    output: { CustomKeyStores: list(LIST_ENTRY), NextMarker: string(), Truncated: boolean() },
  },
  disconnectCustomKeyStore: { input: { CustomKeyStoreId: CUSTOM_KEY_STORE_ID }, output: undefined },
  updateCustomKeyStore: {
    input: { CustomKeyStoreId: CUSTOM_KEY_STORE_ID, NewCustomKeyStoreName: NAME, CloudHsmClusterId: CLUSTER_ID, ...SETTINGS },
    output: undefined,
  },
} as const;
