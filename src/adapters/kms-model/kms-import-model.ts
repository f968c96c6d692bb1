/**
 * The KMS model of the imported key material operations (docs/kms-behaviour.md §24), spread into KMS_MODEL:
 * members and constraints as the KMS API reference gives them, and the enums they take.
 */
import type { ImportKeyMaterialRequest as ImportTypes, KmsWrappingAlgorithm, KmsWrappingKeySpec } from '../../ports/kms.port.js';
import { KEY_ID } from './kms-members.js';
import { blob, string, timestamp } from './member-shape.js';

/** AlgorithmSpec of GetParametersForImport (the SDK's enum; the service refuses some, see rules/import-rules.ts). */
export const WRAPPING_ALGORITHMS = [
  'RSAES_PKCS1_V1_5', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'SM2PKE',
] as const satisfies readonly KmsWrappingAlgorithm[];
/** WrappingKeySpec of GetParametersForImport. */
export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'] as const satisfies readonly KmsWrappingKeySpec[];
/** ExpirationModelType of ImportKeyMaterial. */
export const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const satisfies readonly NonNullable<ImportTypes['ExpirationModel']>[];
/** ImportType of ImportKeyMaterial. */
export const IMPORT_TYPES = ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'] as const satisfies readonly NonNullable<ImportTypes['ImportType']>[];

export const IMPORT_MODEL = {
  deleteImportedKeyMaterial: { input: { KeyId: KEY_ID, KeyMaterialId: string({ min: 64, max: 64 }) }, output: { KeyId: string(), KeyMaterialId: string() } },
  getParametersForImport: {
    input: {
      KeyId: KEY_ID,
      WrappingAlgorithm: string({ required: true, enum: WRAPPING_ALGORITHMS }),
      WrappingKeySpec: string({ required: true, enum: WRAPPING_KEY_SPECS }),
    },
    output: { KeyId: string(), ImportToken: blob(), PublicKey: blob(), ParametersValidTo: timestamp() },
  },
  importKeyMaterial: {
    input: {
      KeyId: KEY_ID,
      ImportToken: blob({ required: true, min: 1, max: 6144 }),
      EncryptedKeyMaterial: blob({ required: true, min: 1, max: 6144 }),
      ValidTo: timestamp(),
      ExpirationModel: string({ enum: EXPIRATION_MODELS }),
      ImportType: string({ enum: IMPORT_TYPES }),
      KeyMaterialDescription: string({ min: 0, max: 256 }),
      KeyMaterialId: string({ min: 64, max: 64 }),
    },
    output: { KeyId: string(), KeyMaterialId: string() },
  },
} as const;
