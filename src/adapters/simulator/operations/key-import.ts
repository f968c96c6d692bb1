import { createHmac, type KeyObject } from 'node:crypto';
import type {
  DeleteImportedKeyMaterialRequest,
  DeleteImportedKeyMaterialResponse,
  GetParametersForImportRequest,
  GetParametersForImportResponse,
  ImportKeyMaterialRequest,
  ImportKeyMaterialResponse,
  KmsCallOptions,
  KmsWrappingAlgorithm,
} from '../../../ports/kms.port.js';
import { toHex } from '../../../codec/bytes.js';
import { newWrappingKey, unwrapKeyMaterial } from '../crypto/key-unwrap.js';
import type { EngineContext } from '../engine-context.js';
import { expiredImportToken, incorrectKeyMaterial, invalidCiphertext, invalidImportToken, validationException } from '../model/exceptions.js';
import { RSA_MODULUS_BITS } from '../model/key-spec-table.js';
import {
  PARAMETERS_VALIDITY_MS,
  checkExpiration,
  checkExternalOrigin,
  checkImportType,
  checkWrapping,
  pendingImport,
  takesSecret,
} from '../rules/import-rules.js';
import { SeedMaterialError, importedMaterialId, privateKeyMaterial, secretMaterial } from '../seed/seed-key-material.js';
import type { KeyMaterial, KeyRecord } from '../store/simulator-store.js';
import { readRequest } from '../../kms-model/request-reader.js';

/**
 * Imported key material (docs/kms-behaviour.md §24): GetParametersForImport, ImportKeyMaterial,
 * DeleteImportedKeyMaterial. A key of Origin EXTERNAL is created PendingImport without material (keys.ts);
 * importing makes it Enabled with the one material it will ever have (re-import: the same material only).
 *
 * The import parameters (the wrapping private key and what its token is bound to) are kept in memory by the
 * engine, never in the store: a simulator that restarts over its state directory no longer knows the tokens it
 * gave, and answers InvalidImportTokenException for them — GetParametersForImport gives new ones.
 */

interface ImportParameters {
  readonly keyId: string;
  readonly algorithm: KmsWrappingAlgorithm;
  readonly privateKey: KeyObject;
  readonly validTo: Date;
}

/** Per engine (its KeyCrypto is its own): token (hex) → parameters. */
const PARAMETERS = new WeakMap<object, Map<string, ImportParameters>>();

function parametersOf(ctx: EngineContext): Map<string, ImportParameters> {
  let map = PARAMETERS.get(ctx.keyCrypto);
  if (map === undefined) PARAMETERS.set(ctx.keyCrypto, (map = new Map()));
  return map;
}

export async function getParametersForImport(
  ctx: EngineContext,
  input: GetParametersForImportRequest,
  options: KmsCallOptions | undefined,
): Promise<GetParametersForImportResponse> {
  const { KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec } = readRequest('getParametersForImport', input);

  await ctx.beforeRead(options);
  const { record, arn } = await ctx.keyFor('GetParametersForImport', KeyId);
  checkExternalOrigin(record, arn);
  checkWrapping(record, algorithm, wrappingKeySpec);
  const wrapping = await newWrappingKey(RSA_MODULUS_BITS[wrappingKeySpec as 'RSA_2048'] ?? 2048);
  const token = ctx.crypto.getRandomValues(new Uint8Array(64));
  const now = ctx.now();
  const validTo = new Date(now.getTime() + PARAMETERS_VALIDITY_MS);
  const parameters = parametersOf(ctx);
  for (const [key, entry] of parameters) if (entry.validTo.getTime() <= now.getTime()) parameters.delete(key);
  parameters.set(toHex(token), { keyId: record.keyId, algorithm, privateKey: wrapping.privateKey, validTo });
  return { KeyId: arn, ImportToken: token, PublicKey: wrapping.publicKey, ParametersValidTo: new Date(validTo.getTime()) };
}

export async function importKeyMaterial(
  ctx: EngineContext,
  input: ImportKeyMaterialRequest,
  options: KmsCallOptions | undefined,
): Promise<ImportKeyMaterialResponse> {
  const request = readRequest('importKeyMaterial', input);

  return ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('ImportKeyMaterial', request.KeyId);
    checkExternalOrigin(record, arn);
    const now = tx.now();
    const expiration = checkExpiration(request, now);
    checkImportType(record, request.ImportType);
    const parameters = parametersOf(ctx).get(toHex(request.ImportToken));
    if (parameters === undefined || parameters.keyId !== record.keyId) throw invalidImportToken();
    if (parameters.validTo.getTime() <= now.getTime()) throw expiredImportToken();
    const plaintext = unwrapKeyMaterial(parameters.algorithm, parameters.privateKey, request.EncryptedKeyMaterial);
    if (plaintext === undefined) throw invalidCiphertext();
    const material = materialOf(record, plaintext);
    plaintext.fill(0);
    const materialId = materialIdOf(material);
    if (record.imported !== undefined && record.imported.materialId !== materialId) {
      throw incorrectKeyMaterial('The key material is not the key material that was imported into this KMS key before.');
    }
    if (request.KeyMaterialId !== undefined && request.KeyMaterialId !== materialId) {
      throw incorrectKeyMaterial(`The key material is not the key material ${request.KeyMaterialId}.`);
    }
    const imported: KeyRecord = {
      ...record,
      keyState: record.keyState === 'PendingImport' ? 'Enabled' : record.keyState,
      ...(record.keySpec === 'SYMMETRIC_DEFAULT' ? { currentKeyMaterialId: materialId } : {}),
      imported: { materialId, ...expiration },
    };
    await tx.store.setKeyMaterial(imported, material);
    return { KeyId: arn, KeyMaterialId: materialId };
  });
}

export async function deleteImportedKeyMaterial(
  ctx: EngineContext,
  input: DeleteImportedKeyMaterialRequest,
  options: KmsCallOptions | undefined,
): Promise<DeleteImportedKeyMaterialResponse> {
  const { KeyId, KeyMaterialId } = readRequest('deleteImportedKeyMaterial', input);

  return ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('DeleteImportedKeyMaterial', KeyId);
    checkExternalOrigin(record, arn);
    const materialId = record.imported?.materialId;
    if (KeyMaterialId !== undefined && KeyMaterialId !== materialId) {
      throw validationException(`${arn} has no key material ${KeyMaterialId}.`);
    }
    if (record.keyState !== 'PendingImport') await tx.store.setKeyMaterial(pendingImport(record), undefined);
    return { KeyId: arn, ...(materialId === undefined ? {} : { KeyMaterialId: materialId }) };
  });
}

/** The plaintext as key material of the key's spec, or IncorrectKeyMaterialException. */
function materialOf(record: KeyRecord, plaintext: Uint8Array): KeyMaterial {
  try {
    if (takesSecret(record.keySpec)) return secretMaterial(record.keySpec, Buffer.from(plaintext).toString('base64'));
    const pem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(plaintext).toString('base64')}\n-----END PRIVATE KEY-----\n`;
    return privateKeyMaterial(record.keySpec, pem);
  } catch (e) {
    if (e instanceof SeedMaterialError) {
      const what = takesSecret(record.keySpec) ? 'raw secret' : 'PKCS#8 private key';
      throw incorrectKeyMaterial(`The key material is not a ${what} for ${record.keySpec}: it ${e.message}.`);
    }
    throw e;
  }
}

/**
 * The ID of imported material, which also proves a re-import is the same material: for a secret, the seed
 * module's HMAC keyed by it; for a private key, an HMAC keyed by its public key (its PKCS#8 may differ in
 * encoding for the same key). Neither reveals the material.
 */
function materialIdOf(material: KeyMaterial): string {
  if (material.publicKey === undefined) return importedMaterialId(material);
  return createHmac('sha256', material.publicKey).update('aws-kms-keyprovider/simulator/key-material-id/v1').digest('hex');
}
