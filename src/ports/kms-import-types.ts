/** The KmsPort shapes of imported key material: GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (type-only). */
export type KmsWrappingAlgorithm =
  | 'RSAES_PKCS1_V1_5'
  | 'RSAES_OAEP_SHA_1'
  | 'RSAES_OAEP_SHA_256'
  | 'RSA_AES_KEY_WRAP_SHA_1'
  | 'RSA_AES_KEY_WRAP_SHA_256'
  | 'SM2PKE';
export type KmsWrappingKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'SM2';
export type KmsExpirationModel = 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';

export interface GetParametersForImportRequest {
  /** Key ID or key ARN of a key of Origin EXTERNAL. */
  KeyId: string;
  WrappingAlgorithm: KmsWrappingAlgorithm;
  WrappingKeySpec: KmsWrappingKeySpec;
}
export interface GetParametersForImportResponse {
  /** The key ARN. */
  KeyId: string;
  ImportToken: Uint8Array;
  /** DER SubjectPublicKeyInfo of the wrapping key. */
  PublicKey: Uint8Array;
  /** 24 hours after the request. */
  ParametersValidTo: Date;
}
export interface ImportKeyMaterialRequest {
  KeyId: string;
  ImportToken: Uint8Array;
  EncryptedKeyMaterial: Uint8Array;
  /** Required with KEY_MATERIAL_EXPIRES, refused otherwise. */
  ValidTo?: Date;
  /** Default KEY_MATERIAL_EXPIRES. */
  ExpirationModel?: KmsExpirationModel;
  /** The simulator keeps one material per imported key: NEW_KEY_MATERIAL is refused once a key has had one. */
  ImportType?: 'NEW_KEY_MATERIAL' | 'EXISTING_KEY_MATERIAL';
  KeyMaterialDescription?: string;
  KeyMaterialId?: string;
}
export interface ImportKeyMaterialResponse {
  /** The key ARN. */
  KeyId?: string;
  KeyMaterialId?: string;
}
export interface DeleteImportedKeyMaterialRequest {
  KeyId: string;
  KeyMaterialId?: string;
}
export interface DeleteImportedKeyMaterialResponse {
  /** The key ARN. */
  KeyId?: string;
  KeyMaterialId?: string;
}
