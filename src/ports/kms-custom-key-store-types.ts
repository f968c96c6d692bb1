/**
 * The KmsPort shapes of custom key stores (type-only): Create/Describe/Update/Connect/Disconnect/DeleteCustomKeyStore.
 * KeyStorePassword and RawSecretAccessKey are secrets: they go in, never come out.
 */
export type KmsCustomKeyStoreType = 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
export type KmsXksProxyConnectivity = 'PUBLIC_ENDPOINT' | 'VPC_ENDPOINT_SERVICE';
export type KmsConnectionState = 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'DISCONNECTING' | 'FAILED';

export interface XksProxyAuthenticationCredential {
  AccessKeyId: string;
  /** Secret: never returned, never echoed in a message. */
  RawSecretAccessKey: string;
}

export interface CreateCustomKeyStoreRequest {
  CustomKeyStoreName: string;
  /** Default AWS_CLOUDHSM. */
  CustomKeyStoreType?: KmsCustomKeyStoreType;
  CloudHsmClusterId?: string;
  TrustAnchorCertificate?: string;
  /** Secret: the kmsuser password of the cluster. */
  KeyStorePassword?: string;
  XksProxyUriEndpoint?: string;
  XksProxyUriPath?: string;
  XksProxyVpcEndpointServiceName?: string;
  XksProxyVpcEndpointServiceOwner?: string;
  XksProxyAuthenticationCredential?: XksProxyAuthenticationCredential;
  XksProxyConnectivity?: KmsXksProxyConnectivity;
}
export interface CreateCustomKeyStoreResponse {
  /** `cks-` and 17 hexadecimal digits. */
  CustomKeyStoreId: string;
}

export interface CustomKeyStoreIdRequest {
  CustomKeyStoreId: string;
}

export interface DescribeCustomKeyStoresRequest {
  CustomKeyStoreId?: string;
  CustomKeyStoreName?: string;
  Limit?: number;
  Marker?: string;
}
export interface XksProxyConfiguration {
  Connectivity?: KmsXksProxyConnectivity;
  AccessKeyId?: string;
  UriEndpoint?: string;
  UriPath?: string;
  VpcEndpointServiceName?: string;
  VpcEndpointServiceOwner?: string;
}
export interface CustomKeyStoresListEntry {
  CustomKeyStoreId: string;
  CustomKeyStoreName: string;
  CustomKeyStoreType: KmsCustomKeyStoreType;
  ConnectionState: KmsConnectionState;
  ConnectionErrorCode?: string;
  CreationDate: Date;
  CloudHsmClusterId?: string;
  TrustAnchorCertificate?: string;
  XksProxyConfiguration?: XksProxyConfiguration;
}
export interface DescribeCustomKeyStoresResponse {
  CustomKeyStores: CustomKeyStoresListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}

export interface UpdateCustomKeyStoreRequest {
  CustomKeyStoreId: string;
  NewCustomKeyStoreName?: string;
  KeyStorePassword?: string;
  CloudHsmClusterId?: string;
  XksProxyUriEndpoint?: string;
  XksProxyUriPath?: string;
  XksProxyVpcEndpointServiceName?: string;
  XksProxyVpcEndpointServiceOwner?: string;
  XksProxyAuthenticationCredential?: XksProxyAuthenticationCredential;
  XksProxyConnectivity?: KmsXksProxyConnectivity;
}
