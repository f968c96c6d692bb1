/** The KmsPort shapes of GetKeyPolicy, ListKeyPolicies, PutKeyPolicy and UpdateKeyDescription (type-only, like kms-types.ts). */
export interface GetKeyPolicyRequest {
  KeyId: string;
  /** The only valid name is `default` (also when omitted). */
  PolicyName?: string;
}
export interface GetKeyPolicyResponse {
  /** The key policy document (JSON text), as stored. */
  Policy: string;
  /** `default`; a member of newer KMS answers (older ones and moto leave it out). */
  PolicyName?: string;
}
export interface ListKeyPoliciesRequest {
  KeyId: string;
  Limit?: number;
  Marker?: string;
}
export interface ListKeyPoliciesResponse {
  /** Always `["default"]`. */
  PolicyNames: string[];
  NextMarker?: string;
  Truncated: boolean;
}
export interface PutKeyPolicyRequest {
  KeyId: string;
  /** The only valid name is `default` (also when omitted). */
  PolicyName?: string;
  Policy: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
}
export interface UpdateKeyDescriptionRequest {
  KeyId: string;
  Description: string;
}
