/**
 * AwsSdkKms: the KmsPort over `@aws-sdk/client-kms` v3 — AWS KMS itself, or anything that speaks its wire
 * protocol (LocalStack, moto, this package's own endpoint) through `endpoint` or the SDK's
 * `AWS_ENDPOINT_URL_KMS` / `AWS_ENDPOINT_URL` environment variables.
 *
 * A thin translation: the port's requests go to the SDK Commands as they are (same PascalCase members), and the
 * SDK's responses come back without `$metadata`. The only defaults filled in are `Truncated: false` on the
 * listings and an empty `Grants` / `CustomKeyStores` list, which LocalStack and moto sometimes omit. Blobs are the SDK's `Uint8Array`s, dates its `Date`s.
 *
 * Every failure is thrown as a KmsException (`name`, `message`, `$fault`), the original error as `cause`:
 * - an SDK service exception (a KMS error response) keeps its `name`, `message` and `$fault` — for example
 *   `NotFoundException` / client, `KMSInternalException` / server, or the `__type` of an error the SDK's model
 *   does not know;
 * - a call cancelled through `abortSignal` → `AbortError`, `$fault: 'client'`;
 * - no credentials (`CredentialsProviderError`) or no SSO token (`TokenProviderError`) → that name,
 *   `$fault: 'client'`;
 * - anything else means KMS gave no usable answer → `$fault: 'server'`, with the SDK error's own name
 *   (`TimeoutError`, or `SyntaxError` for a response that is not KMS JSON); a plain `Error` — how Node reports
 *   refused or reset connections and failed DNS look-ups (`code` ECONNREFUSED, ENOTFOUND, …) — becomes
 *   `NetworkingError`.
 * Retries happen inside the SDK (its standard or adaptive strategy) before any of these is thrown.
 *
 * Construction makes no network call; credentials resolve through the SDK's default chain at the first call
 * unless given.
 */
import {
  CancelKeyDeletionCommand,
  DeleteImportedKeyMaterialCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  type CreateKeyCommandInput,
  type DeriveSharedSecretCommandInput,
  DecapsulateCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncapsulateCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetKeyLastUsageCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ListRetirableGrantsCommand,
  ReEncryptCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  VerifyCommand,
  VerifyMacCommand,
  DisableKeyRotationCommand, EnableKeyRotationCommand, GetKeyRotationStatusCommand, ListKeyRotationsCommand, RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import type { EnableKeyRotationRequest, GetKeyRotationStatusResponse, ListKeyRotationsRequest, ListKeyRotationsResponse,
  RotateKeyOnDemandResponse } from '../../ports/kms.port.js';
import { GetKeyPolicyCommand, ListKeyPoliciesCommand, PutKeyPolicyCommand, UpdateKeyDescriptionCommand } from '@aws-sdk/client-kms';
import { ConnectCustomKeyStoreCommand, CreateCustomKeyStoreCommand, DeleteCustomKeyStoreCommand, DescribeCustomKeyStoresCommand, DisconnectCustomKeyStoreCommand, UpdateCustomKeyStoreCommand } from '@aws-sdk/client-kms';
import { ReplicateKeyCommand, UpdatePrimaryRegionCommand } from '@aws-sdk/client-kms';
import type {
  CancelKeyDeletionResponse,
  CreateAliasRequest,
  CreateKeyRequest,
  CreateKeyResponse,
  DecryptRequest,
  DecryptResponse,
  DeleteAliasRequest,
  DescribeKeyRequest,
  DescribeKeyResponse,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  GenerateMacRequest,
  GenerateMacResponse,
  GenerateRandomRequest,
  GenerateRandomResponse,
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  KeyIdRequest,
  KmsCallOptions,
  KmsPort,
  ListAliasesRequest,
  ListAliasesResponse,
  ListKeysRequest,
  ListKeysResponse,
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
  SignRequest,
  SignResponse,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateAliasRequest,
  VerifyMacRequest,
  VerifyMacResponse,
  VerifyRequest,
  VerifyResponse,
} from '../../ports/kms.port.js';
import type * as Port from '../../ports/kms.port.js';
import { KmsException } from '../kms-exception.js';
import { resolveClient, type AwsSdkKmsOptions } from './aws-sdk-kms-options.js';

export type { AwsSdkKmsCredentials, AwsSdkKmsOptions } from './aws-sdk-kms-options.js';
export { regionFromEnvironment } from './aws-sdk-kms-options.js';

/** A port method's request and response types (so that new operations need no import lines here). */
type Req<M extends keyof KmsPort> = KmsPort[M] extends (input: infer I, ...rest: never[]) => unknown ? I : never;
type Res<M extends keyof KmsPort> = KmsPort[M] extends (...args: never[]) => Promise<infer R> ? R : never;

export class AwsSdkKms implements KmsPort {
  readonly region: string;
  /** The SDK retries throttling, transient and network errors (maxAttempts, retryMode): the provider adds none. */
  readonly retriesTransientErrors = true as const;
  readonly #client: KMSClient;
  /** Whether this adapter built the client (and so may destroy it). */
  readonly #ownsClient: boolean;

  constructor(options: AwsSdkKmsOptions) {
    ({ region: this.region, client: this.#client, ownsClient: this.#ownsClient } = resolveClient(options));
  }

  /** Closes the connections of the client this adapter built; an injected client is left to its owner. */
  destroy(): void {
    if (this.#ownsClient) this.#client.destroy();
  }

  // ---- keys ---------------------------------------------------------------------------------------------------

  createKey(input: CreateKeyRequest, options?: KmsCallOptions): Promise<CreateKeyResponse> {
    // The port lets the deprecated CustomerMasterKeySpec name every KeySpec; the SDK's type lists the older ones.
    const command = new CreateKeyCommand(input as CreateKeyCommandInput);
    return this.#send(options, (o) => this.#client.send(command, o));
  }

  describeKey(input: DescribeKeyRequest, options?: KmsCallOptions): Promise<DescribeKeyResponse> {
    return this.#send(options, (o) => this.#client.send(new DescribeKeyCommand(input), o));
  }

  async listKeys(input: ListKeysRequest, options?: KmsCallOptions): Promise<ListKeysResponse> {
    const out = await this.#send<ListKeysResponse>(options, (o) => this.#client.send(new ListKeysCommand(input), o));
    return { ...out, Truncated: out.Truncated ?? false };
  }

  async enableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new EnableKeyCommand(input), o));
  }

  async disableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new DisableKeyCommand(input), o));
  }

  scheduleKeyDeletion(input: ScheduleKeyDeletionRequest, options?: KmsCallOptions): Promise<ScheduleKeyDeletionResponse> {
    return this.#send(options, (o) => this.#client.send(new ScheduleKeyDeletionCommand(input), o));
  }

  cancelKeyDeletion(input: KeyIdRequest, options?: KmsCallOptions): Promise<CancelKeyDeletionResponse> {
    return this.#send(options, (o) => this.#client.send(new CancelKeyDeletionCommand(input), o));
  }

  getPublicKey(input: GetPublicKeyRequest, options?: KmsCallOptions): Promise<GetPublicKeyResponse> {
    return this.#send(options, (o) => this.#client.send(new GetPublicKeyCommand(input), o));
  }

  // ---- aliases ------------------------------------------------------------------------------------------------

  async createAlias(input: CreateAliasRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new CreateAliasCommand(input), o));
  }

  async updateAlias(input: UpdateAliasRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new UpdateAliasCommand(input), o));
  }

  async deleteAlias(input: DeleteAliasRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new DeleteAliasCommand(input), o));
  }

  async listAliases(input: ListAliasesRequest, options?: KmsCallOptions): Promise<ListAliasesResponse> {
    const out = await this.#send<ListAliasesResponse>(options, (o) => this.#client.send(new ListAliasesCommand(input), o));
    return { ...out, Truncated: out.Truncated ?? false };
  }

  // ---- tags ---------------------------------------------------------------------------------------------------

  async tagResource(input: TagResourceRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new TagResourceCommand(input), o));
  }

  async untagResource(input: UntagResourceRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new UntagResourceCommand(input), o));
  }

  async listResourceTags(input: ListResourceTagsRequest, options?: KmsCallOptions): Promise<ListResourceTagsResponse> {
    const out = await this.#send<ListResourceTagsResponse>(options, (o) =>
      this.#client.send(new ListResourceTagsCommand(input), o),
    );
    return { ...out, Truncated: out.Truncated ?? false };
  }

  // ---- cryptography -------------------------------------------------------------------------------------------

  sign(input: SignRequest, options?: KmsCallOptions): Promise<SignResponse> {
    return this.#send(options, (o) => this.#client.send(new SignCommand(input), o));
  }

  verify(input: VerifyRequest, options?: KmsCallOptions): Promise<VerifyResponse> {
    return this.#send(options, (o) => this.#client.send(new VerifyCommand(input), o));
  }

  generateRandom(input: GenerateRandomRequest, options?: KmsCallOptions): Promise<GenerateRandomResponse> {
    return this.#send(options, (o) => this.#client.send(new GenerateRandomCommand(input), o));
  }

  encrypt(input: EncryptRequest, options?: KmsCallOptions): Promise<EncryptResponse> {
    return this.#send(options, (o) => this.#client.send(new EncryptCommand(input), o));
  }

  decrypt(input: DecryptRequest, options?: KmsCallOptions): Promise<DecryptResponse> {
    return this.#send(options, (o) => this.#client.send(new DecryptCommand(input), o));
  }

  generateDataKey(input: GenerateDataKeyRequest, options?: KmsCallOptions): Promise<GenerateDataKeyResponse> {
    return this.#send(options, (o) => this.#client.send(new GenerateDataKeyCommand(input), o));
  }

  generateMac(input: GenerateMacRequest, options?: KmsCallOptions): Promise<GenerateMacResponse> {
    return this.#send(options, (o) => this.#client.send(new GenerateMacCommand(input), o));
  }

  verifyMac(input: VerifyMacRequest, options?: KmsCallOptions): Promise<VerifyMacResponse> {
    return this.#send(options, (o) => this.#client.send(new VerifyMacCommand(input), o));
  }

  // ---- shared secrets (ECDH, ML-KEM) and key last usage ---------------------------------------------------------
  decapsulate(input: Port.DecapsulateRequest, options?: KmsCallOptions): Promise<Port.DecapsulateResponse> {
    return this.#send(options, (o) => this.#client.send(new DecapsulateCommand(input), o));
  }
  deriveSharedSecret(input: Port.DeriveSharedSecretRequest, options?: KmsCallOptions): Promise<Port.DeriveSharedSecretResponse> {
    return this.#send(options, (o) => this.#client.send(new DeriveSharedSecretCommand(input as DeriveSharedSecretCommandInput), o));
  }
  encapsulate(input: Port.EncapsulateRequest, options?: KmsCallOptions): Promise<Port.EncapsulateResponse> {
    return this.#send(options, (o) => this.#client.send(new EncapsulateCommand(input), o));
  }
  getKeyLastUsage(input: Port.GetKeyLastUsageRequest, options?: KmsCallOptions): Promise<Port.GetKeyLastUsageResponse> {
    return this.#send(options, (o) => this.#client.send(new GetKeyLastUsageCommand(input), o));
  }
  // ---- key rotation (thin: every member as the SDK returns it) ---------------------------------------------------
  async disableKeyRotation(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new DisableKeyRotationCommand(input), o));
  }
  async enableKeyRotation(input: EnableKeyRotationRequest, options?: KmsCallOptions): Promise<void> {
    await this.#send(options, (o) => this.#client.send(new EnableKeyRotationCommand(input), o));
  }
  getKeyRotationStatus(input: KeyIdRequest, options?: KmsCallOptions): Promise<GetKeyRotationStatusResponse> {
    return this.#send(options, (o) => this.#client.send(new GetKeyRotationStatusCommand(input), o));
  }
  listKeyRotations(input: ListKeyRotationsRequest, options?: KmsCallOptions): Promise<ListKeyRotationsResponse> {
    return this.#send(options, (o) => this.#client.send(new ListKeyRotationsCommand(input), o));
  }
  rotateKeyOnDemand(input: KeyIdRequest, options?: KmsCallOptions): Promise<RotateKeyOnDemandResponse> {
    return this.#send(options, (o) => this.#client.send(new RotateKeyOnDemandCommand(input), o));
  }
  // ---- key policies and description (one line each: this file is near its 400-line limit) -------------------

  getKeyPolicy(input: Req<'getKeyPolicy'>, options?: KmsCallOptions): Promise<Res<'getKeyPolicy'>> { return this.#send(options, (o) => this.#client.send(new GetKeyPolicyCommand(input), o)); }
  async listKeyPolicies(input: Req<'listKeyPolicies'>, options?: KmsCallOptions): Promise<Res<'listKeyPolicies'>> { const out = await this.#send<Res<'listKeyPolicies'>>(options, (o) => this.#client.send(new ListKeyPoliciesCommand(input), o)); return { ...out, Truncated: out.Truncated ?? false }; }
  async putKeyPolicy(input: Req<'putKeyPolicy'>, options?: KmsCallOptions): Promise<void> { await this.#send(options, (o) => this.#client.send(new PutKeyPolicyCommand(input), o)); }
  async updateKeyDescription(input: Req<'updateKeyDescription'>, options?: KmsCallOptions): Promise<void> { await this.#send(options, (o) => this.#client.send(new UpdateKeyDescriptionCommand(input), o)); }
  // ---- envelope encryption (typed by the port, to keep this file under 400 lines) ------------------------------

  readonly reEncrypt: KmsPort['reEncrypt'] = (input, options) =>
    this.#send(options, (o) => this.#client.send(new ReEncryptCommand(input), o));
  readonly generateDataKeyWithoutPlaintext: KmsPort['generateDataKeyWithoutPlaintext'] = (input, options) =>
    this.#send(options, (o) => this.#client.send(new GenerateDataKeyWithoutPlaintextCommand(input), o));
  readonly generateDataKeyPair: KmsPort['generateDataKeyPair'] = (input, options) =>
    this.#send(options, (o) => this.#client.send(new GenerateDataKeyPairCommand(input), o));
  readonly generateDataKeyPairWithoutPlaintext: KmsPort['generateDataKeyPairWithoutPlaintext'] = (input, options) =>
    this.#send(options, (o) => this.#client.send(new GenerateDataKeyPairWithoutPlaintextCommand(input), o));
  // ---- grants ---------------------------------------------------------------------------------------------------
  readonly createGrant: KmsPort['createGrant'] = (input, options) =>
    this.#send(options, (o) => this.#client.send(new CreateGrantCommand(input), o));
  readonly listGrants: KmsPort['listGrants'] = async (input, options) => {
    const out = await this.#send<Res<'listGrants'>>(options, (o) => this.#client.send(new ListGrantsCommand(input), o));
    return { ...out, Grants: out.Grants ?? [], Truncated: out.Truncated ?? false };
  };
  readonly listRetirableGrants: KmsPort['listRetirableGrants'] = async (input, options) => {
    const out = await this.#send<Res<'listRetirableGrants'>>(options, (o) => this.#client.send(new ListRetirableGrantsCommand(input), o));
    return { ...out, Grants: out.Grants ?? [], Truncated: out.Truncated ?? false };
  };
  readonly retireGrant: KmsPort['retireGrant'] = async (input, options) => {
    await this.#send(options, (o) => this.#client.send(new RetireGrantCommand(input), o));
  };
  readonly revokeGrant: KmsPort['revokeGrant'] = async (input, options) => {
    await this.#send(options, (o) => this.#client.send(new RevokeGrantCommand(input), o));
  };

  // ---- the one way out ------------------------------------------------------------------------------------------

  // ---- custom key stores (one line each: this file is near its 400-line limit) ------------------------------
  async connectCustomKeyStore(input: Req<'connectCustomKeyStore'>, options?: KmsCallOptions): Promise<void> { await this.#send(options, (o) => this.#client.send(new ConnectCustomKeyStoreCommand(input), o)); }
  createCustomKeyStore(input: Req<'createCustomKeyStore'>, options?: KmsCallOptions): Promise<Res<'createCustomKeyStore'>> { return this.#send(options, (o) => this.#client.send(new CreateCustomKeyStoreCommand(input), o)); }
  async deleteCustomKeyStore(input: Req<'deleteCustomKeyStore'>, options?: KmsCallOptions): Promise<void> { await this.#send(options, (o) => this.#client.send(new DeleteCustomKeyStoreCommand(input), o)); }
  async describeCustomKeyStores(input: Req<'describeCustomKeyStores'>, options?: KmsCallOptions): Promise<Res<'describeCustomKeyStores'>> { const out = await this.#send<Res<'describeCustomKeyStores'>>(options, (o) => this.#client.send(new DescribeCustomKeyStoresCommand(input), o)); return { ...out, CustomKeyStores: out.CustomKeyStores ?? [], Truncated: out.Truncated ?? false }; }
  async disconnectCustomKeyStore(input: Req<'disconnectCustomKeyStore'>, options?: KmsCallOptions): Promise<void> { await this.#send(options, (o) => this.#client.send(new DisconnectCustomKeyStoreCommand(input), o)); }
  async updateCustomKeyStore(input: Req<'updateCustomKeyStore'>, options?: KmsCallOptions): Promise<void> { await this.#send(options, (o) => this.#client.send(new UpdateCustomKeyStoreCommand(input), o)); }
  // ---- imported key material (one line each: this file is near its 400-line limit) ---------------------------
  deleteImportedKeyMaterial(input: Req<'deleteImportedKeyMaterial'>, options?: KmsCallOptions): Promise<Res<'deleteImportedKeyMaterial'>> { return this.#send(options, (o) => this.#client.send(new DeleteImportedKeyMaterialCommand(input), o)); }
  getParametersForImport(input: Req<'getParametersForImport'>, options?: KmsCallOptions): Promise<Res<'getParametersForImport'>> { return this.#send(options, (o) => this.#client.send(new GetParametersForImportCommand(input), o)); }
  importKeyMaterial(input: Req<'importKeyMaterial'>, options?: KmsCallOptions): Promise<Res<'importKeyMaterial'>> { return this.#send(options, (o) => this.#client.send(new ImportKeyMaterialCommand(input), o)); }
  // ---- multi-Region keys (one line each) ---------------------------------------------------------------------
  replicateKey(input: Req<'replicateKey'>, options?: KmsCallOptions): Promise<Res<'replicateKey'>> { return this.#send(options, (o) => this.#client.send(new ReplicateKeyCommand(input), o)); }
  async updatePrimaryRegion(input: Req<'updatePrimaryRegion'>, options?: KmsCallOptions): Promise<void> { await this.#send(options, (o) => this.#client.send(new UpdatePrimaryRegionCommand(input), o)); }

  /**
   * Sends a command with the caller's abort signal, strips `$metadata` and rethrows failures as KmsExceptions.
   * The SDK types every output member as optional; `Out` is the port's statement of what KMS returns.
   */
  async #send<Out>(
    options: KmsCallOptions | undefined,
    send: (sendOptions: { abortSignal?: AbortSignal }) => Promise<{ $metadata: unknown }>,
  ): Promise<Out> {
    const abortSignal = options?.abortSignal;
    try {
      const { $metadata: _metadata, ...output } = await send(abortSignal === undefined ? {} : { abortSignal });
      return output as Out;
    } catch (error) {
      throw toKmsException(error, abortSignal);
    }
  }
}

/** A thrown SDK error as a KmsException (see the file comment for the names), the SDK error as `cause`. */
function toKmsException(error: unknown, abortSignal?: AbortSignal): KmsException {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  const fault = (error as { $fault?: unknown } | null)?.$fault;
  if (fault === 'client' || fault === 'server') return new KmsException(name, message, fault, { cause: error });
  if (name === 'AbortError' || abortSignal?.aborted === true) {
    return new KmsException('AbortError', message, 'client', { cause: error });
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return new KmsException(name, message, 'client', { cause: error });
  }
  return new KmsException(name === 'Error' ? 'NetworkingError' : name, message, 'server', { cause: error });
}

