import type { ImportKeyMaterialRequest, KmsKeySpec, KmsWrappingAlgorithm, KmsWrappingKeySpec } from '../../../ports/kms.port.js';
import { invalidOrigin, unsupported, validationException } from '../model/exceptions.js';
import type { KeyRecord } from '../store/simulator-store.js';

/**
 * Where KMS refuses imported key material (docs/kms-behaviour.md §24), after the key state
 * (rules/key-state-policy.ts), in the order they are checked:
 *
 * - The key's Origin must be EXTERNAL → `UnsupportedOperationException: <key ARN> origin is <Origin> which is not
 *   valid for this operation.` (the text the rotation rules use for the same refusal).
 * - GetParametersForImport: RSAES_PKCS1_V1_5 is no longer accepted (AWS withdrew it in 2023); SM2 and SM2PKE
 *   exist only in the China Regions (the simulator cannot create SM2 keys either); SM2PKE only with SM2 and SM2
 *   only with SM2PKE; asymmetric key material (RSA, ECC) is too long for RSA-OAEP alone, so it takes an
 *   RSA_AES_KEY_WRAP_* algorithm, and RSA_4096 material needs at least an RSA_3072 wrapping key… AWS documents
 *   only the first; the simulator refuses every RSAES_OAEP_* for an asymmetric key (ValidationException).
 * - ImportKeyMaterial: KEY_MATERIAL_EXPIRES (the default) needs a ValidTo after now and at most 365 days away;
 *   KEY_MATERIAL_DOES_NOT_EXPIRE takes none (ValidationException). NEW_KEY_MATERIAL once a key has had
 *   material is rotation of imported material, which the simulator does not model (one material per key).
 */

/** The key specs whose material can be imported (ML-DSA, ML-KEM and SM2 cannot, in the simulator). */
const IMPORTABLE: ReadonlySet<KmsKeySpec> = new Set<KmsKeySpec>([
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
]);

/** The longest ValidTo: 365 days after the request. */
export const MAX_VALID_TO_MS = 365 * 86_400_000;
/** Import parameters are valid 24 hours. */
export const PARAMETERS_VALIDITY_MS = 24 * 3_600_000;

/** CreateKey with Origin EXTERNAL: the spec must be one whose material the simulator imports. */
export function checkExternalSpec(spec: KmsKeySpec): void {
  if (!IMPORTABLE.has(spec)) {
    throw unsupported(`KeySpec ${spec} is not supported with Origin EXTERNAL by the simulator.`);
  }
}

export function checkExternalOrigin(record: KeyRecord, arn: string): void {
  if (record.origin !== 'EXTERNAL') {
    throw invalidOrigin(arn, record.origin);
  }
}

/** Whether the key's material is a secret (symmetric, HMAC) rather than a private key. */
export function takesSecret(spec: KmsKeySpec): boolean {
  return spec === 'SYMMETRIC_DEFAULT' || spec.startsWith('HMAC_');
}

/** GetParametersForImport: the wrapping algorithm and key spec for this key. */
export function checkWrapping(record: KeyRecord, algorithm: KmsWrappingAlgorithm, wrappingKeySpec: KmsWrappingKeySpec): void {
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    throw validationException('The wrapping algorithm RSAES_PKCS1_V1_5 is no longer supported.');
  }
  if (algorithm === 'SM2PKE' || wrappingKeySpec === 'SM2') {
    throw unsupported('SM2 wrapping keys (SM2PKE) exist only in the China Regions; the simulator cannot create them.');
  }
  if (!takesSecret(record.keySpec) && !algorithm.startsWith('RSA_AES_KEY_WRAP_')) {
    throw validationException(
      `The wrapping algorithm ${algorithm} cannot wrap ${record.keySpec} key material: use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.`,
    );
  }
}

/** ImportKeyMaterial: the expiration settings, before the token is looked at. */
export function checkExpiration(
  request: Pick<ImportKeyMaterialRequest, 'ExpirationModel' | 'ValidTo'>,
  now: Date,
): { expirationModel: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE'; validTo?: Date } {
  const expirationModel = request.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  const validTo = request.ValidTo;
  if (expirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (validTo !== undefined) {
      throw validationException('ValidTo must not be set when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
    }
    return { expirationModel };
  }
  if (validTo === undefined) throw validationException('ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.');
  if (validTo.getTime() <= now.getTime()) throw validationException('ValidTo must be in the future.');
  if (validTo.getTime() - now.getTime() > MAX_VALID_TO_MS) {
    throw validationException('ValidTo must be at most 365 days in the future.');
  }
  return { expirationModel, validTo: new Date(validTo.getTime()) };
}

/** NEW_KEY_MATERIAL on a key that has had material would add a second material: not modelled. */
export function checkImportType(record: KeyRecord, importType: ImportKeyMaterialRequest['ImportType']): void {
  if (importType === 'NEW_KEY_MATERIAL' && record.imported !== undefined) {
    throw unsupported('The simulator keeps one key material per imported key: NEW_KEY_MATERIAL is not supported once a key has had material.');
  }
}

/**
 * The key as the clock sees it: imported material whose ValidTo has passed is gone, and the key is PendingImport
 * (AWS deletes it then; the simulator lazily, when the key is next looked up — the store drops the material at
 * the next write that looks the key up). Any other key as it is.
 */
export function expiredView(record: KeyRecord, now: Date): KeyRecord | undefined {
  const validTo = record.imported?.validTo;
  if (validTo === undefined || validTo.getTime() > now.getTime() || record.keyState === 'PendingImport') return undefined;
  if (record.keyState !== 'Enabled' && record.keyState !== 'Disabled') return undefined;
  return pendingImport(record);
}

/** The key without its imported material: PendingImport, with only the ID of the material it had. */
export function pendingImport(record: KeyRecord): KeyRecord {
  const { currentKeyMaterialId: _current, imported, ...rest } = record;
  return { ...rest, keyState: 'PendingImport', ...(imported === undefined ? {} : { imported: { materialId: imported.materialId } }) };
}
