/** The KmsPort shapes of CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and RevokeGrant (type-only). */

/** The GrantOperation enum of the KMS API model. */
export type KmsGrantOperation =
  | 'Decrypt'
  | 'Encrypt'
  | 'GenerateDataKey'
  | 'GenerateDataKeyWithoutPlaintext'
  | 'ReEncryptFrom'
  | 'ReEncryptTo'
  | 'Sign'
  | 'Verify'
  | 'GetPublicKey'
  | 'CreateGrant'
  | 'RetireGrant'
  | 'DescribeKey'
  | 'GenerateDataKeyPair'
  | 'GenerateDataKeyPairWithoutPlaintext'
  | 'GenerateMac'
  | 'VerifyMac'
  | 'DeriveSharedSecret'
  | 'Decapsulate'
  | 'Encapsulate';

/** At most one of the two; only for grants whose operations take an encryption context. */
export interface GrantConstraints {
  EncryptionContextSubset?: Record<string, string>;
  EncryptionContextEquals?: Record<string, string>;
}
export interface CreateGrantRequest {
  KeyId: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  Operations: KmsGrantOperation[];
  Constraints?: GrantConstraints;
  GrantTokens?: string[];
  /** Idempotency: the same Name with the same parameters answers the grant it created before. */
  Name?: string;
  DryRun?: boolean;
}
export interface CreateGrantResponse {
  GrantToken?: string;
  /** 64 hex characters. */
  GrantId?: string;
}
export interface GrantListEntry {
  /** The key ARN. */
  KeyId?: string;
  GrantId?: string;
  Name?: string;
  CreationDate?: Date;
  GranteePrincipal?: string;
  RetiringPrincipal?: string;
  IssuingAccount?: string;
  Operations?: KmsGrantOperation[];
  Constraints?: GrantConstraints;
}
export interface ListGrantsRequest {
  KeyId: string;
  Limit?: number;
  Marker?: string;
  GrantId?: string;
  GranteePrincipal?: string;
}
export interface ListGrantsResponse {
  Grants: GrantListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}
export interface ListRetirableGrantsRequest {
  RetiringPrincipal: string;
  Limit?: number;
  Marker?: string;
}
export interface RetireGrantRequest {
  GrantToken?: string;
  /** The key ARN (with GrantId, instead of GrantToken). */
  KeyId?: string;
  GrantId?: string;
  DryRun?: boolean;
}
export interface RevokeGrantRequest {
  KeyId: string;
  GrantId: string;
  DryRun?: boolean;
}
