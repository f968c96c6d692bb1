/**
 * KmsJwtSigner over the wire: AwsKmsKeyProvider → AwsSdkKms (the real AWS SDK v3) → HTTP on 127.0.0.1 (a free
 * port) → the KMS JSON endpoint (startKmsServer) → SimulatedKms. One alg per family, RAW and over the limit
 * (DIGEST, EXTERNAL_MU through the SDK's MessageType), each verified against the JWKS.
 */
import { AwsKmsKeyProvider, AwsSdkKms, startKmsServer } from '../../src/index.js';
import { recordingSimulator, signerRoundTrip } from './signer-round-trip.js';

signerRoundTrip(
  'AwsKmsKeyProvider → AwsSdkKms → HTTP → startKmsServer → SimulatedKms',
  async () => {
    const { kms: simulator, signRequests } = recordingSimulator();
    const server = await startKmsServer({ kms: simulator, host: '127.0.0.1', port: 0 });
    const kms = new AwsSdkKms({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'AKIDSIGNERTEST', secretAccessKey: 'signer-test-secret' },
    });
    return { provider: new AwsKmsKeyProvider({ kms, aliasPrefix: 'signer-wire' }), signRequests, close: () => server.close() };
  },
  ['RSA_PKCS1_SHA256', 'RSA_PSS_SHA512', 'ECDSA_P384_SHA384', 'ECDSA_SECP256K1_SHA256', 'ED25519', 'ML_DSA_65'],
);
