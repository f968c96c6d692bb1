/** The KmsPort shapes of key rotation: Enable/DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations (type-only). */
export type KmsRotationType = 'AUTOMATIC' | 'ON_DEMAND';
export type KmsKeyMaterialState = 'CURRENT' | 'NON_CURRENT' | 'PENDING_ROTATION' | 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION';
export type KmsIncludeKeyMaterial = 'ALL_KEY_MATERIAL' | 'ROTATIONS_ONLY';

export interface EnableKeyRotationRequest {
  KeyId: string;
  /** 90–2560; default 365. */
  RotationPeriodInDays?: number;
}
export interface GetKeyRotationStatusResponse {
  KeyRotationEnabled: boolean;
  /** The key ARN. */
  KeyId?: string;
  /** While automatic rotation is enabled. */
  RotationPeriodInDays?: number;
  /** While automatic rotation is enabled. */
  NextRotationDate?: Date;
  /** While an on-demand rotation is in progress. */
  OnDemandRotationStartDate?: Date;
}
export interface RotateKeyOnDemandResponse {
  /** The key ARN. */
  KeyId: string;
}
export interface ListKeyRotationsRequest {
  KeyId: string;
  /** Default ROTATIONS_ONLY; ALL_KEY_MATERIAL adds the first key material. */
  IncludeKeyMaterial?: KmsIncludeKeyMaterial;
  Limit?: number;
  Marker?: string;
}
export interface KmsRotationsListEntry {
  /** The bare key ID. */
  KeyId?: string;
  KeyMaterialId?: string;
  KeyMaterialDescription?: string;
  ImportState?: 'IMPORTED' | 'PENDING_IMPORT';
  KeyMaterialState?: KmsKeyMaterialState;
  ExpirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  ValidTo?: Date;
  /** Absent for the first key material. */
  RotationDate?: Date;
  /** Absent for the first key material. */
  RotationType?: KmsRotationType;
}
export interface ListKeyRotationsResponse {
  Rotations: KmsRotationsListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}
