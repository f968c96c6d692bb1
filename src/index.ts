/** aws-kms-keyprovider: the public API. Everything a user imports comes from here, by name. */
export { AwsKmsKeyProvider } from './aws-kms-key-provider.js';
export type { AwsKmsClientOptions, AwsKmsKeyProviderOptions } from './aws-kms-key-provider.js';
export type {
  DestroyKeyOptions,
  GetKeyOptions,
  HkdfOptions,
  JwksOptions,
  KmsKeyProviderOptions,
  RotateOverrides,
} from './provider/kms-key-provider.js';
export type { ProviderCacheOptions } from './provider/provider-cache.js';
export type { RetryOptions } from './provider/retry-policy.js';
export { SimulatedKms } from './adapters/simulator/simulated-kms.js';
export type { SimulatedKmsOptions, SimulatorCrypto, WebCryptoImplementation } from './adapters/simulator/simulated-kms.js';
export { SimulatorRegions } from './adapters/simulator/simulator-regions.js';
export { FaultPlan, FAULT_OPERATIONS } from './adapters/simulator/faults/fault-plan.js';
export type { FaultOptions, FaultRule, FaultOperation } from './adapters/simulator/faults/fault-plan.js';
export { parseFaultSpec } from './adapters/simulator/faults/fault-spec.js';
export type {
  SeedCallOptions,
  SeedEntry,
  SeedEntryInput,
  SeedInput,
  SeedOutcome,
  SeedReport,
  SeedStatus,
  SeedTags,
} from './adapters/simulator/seed/seed-types.js';
export type {
  AliasRecord,
  KeyMaterial,
  KeyRecord,
  SimulatorStore,
  SimulatorStoreReader,
  SimulatorStoreTransaction,
  StoredTag,
} from './adapters/simulator/store/simulator-store.js';
export { AwsSdkKms } from './adapters/aws/aws-sdk-kms.js';
export type { AwsSdkKmsCredentials, AwsSdkKmsOptions } from './adapters/aws/aws-sdk-kms.js';
export { startKmsServer } from './kms-endpoint.js';
export { startSimulatorServer } from './kms-simulator-server.js';
export type { SimulatorServer, SimulatorServerOptions, SimulatorServerState } from './kms-simulator-server.js';
export type { SimulatorCredentials } from './simulator-server-authorization.js';
export { openSimulatorState } from './adapters/simulator/store/durable/simulator-state.js';
export type { SimulatorState } from './adapters/simulator/store/durable/simulator-state.js';
export { SimulatorStateError } from './adapters/simulator/store/durable/state-errors.js';
export type { SimulatorStateErrorCode } from './adapters/simulator/store/durable/state-errors.js';
export type { KmsServer, KmsServerOptions } from './kms-endpoint.js';
export { KmsException } from './adapters/kms-exception.js';
export { KeyAlg, KeyClass, KeyType, KeyUse, ExportPolicy } from './domain/key-types.js';
export type {
  EcPublicJwk,
  Jwk,
  Jwks,
  KeyRef,
  KeyRefTags,
  KeySpec,
  ProviderCapabilities,
  RsaPublicJwk,
} from './domain/key-types.js';
export {
  ConflictError,
  InvalidArgumentError,
  InvalidKeyStateError,
  KeyNotFoundError,
  KeyProviderError,
  KmsError,
  UnsupportedAlgorithmError,
  UnsupportedOperationError,
} from './domain/errors.js';
export type { KeyProviderErrorCode } from './domain/errors.js';
export type * from './ports/kms.port.js';
// signing
export { KmsJwtSigner } from './signer/kms-jwt-signer.js';
export type { KmsJwtSignerOptions, KmsJwtSignerProvider, SignJwsOptions, SignJwtOptions } from './signer/kms-jwt-signer.js';
export { parseJwkKid } from './domain/jwk-kid.js';
export type { ParsedJwkKid } from './domain/jwk-kid.js';
export type { SigningKey } from './provider/key-signing.js';
export type { SigningRules } from './domain/spec-mapping.js';
export type { AkpPublicJwk, OkpPublicJwk } from './domain/key-types.js';
// rotation grace
export type { JwksInclude } from './provider/kms-key-provider.js';
