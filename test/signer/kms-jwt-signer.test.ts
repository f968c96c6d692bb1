/** KmsJwtSigner over AwsKmsKeyProvider over SimulatedKms in process: every signing alg, RAW and over the limit. */
import { AwsKmsKeyProvider } from '../../src/index.js';
import { ALG_CASES, recordingSimulator, signerRoundTrip } from './signer-round-trip.js';

signerRoundTrip(
  'AwsKmsKeyProvider → SimulatedKms (in process)',
  async () => {
    const { kms, signRequests } = recordingSimulator();
    return { provider: new AwsKmsKeyProvider({ kms, aliasPrefix: 'signer' }), signRequests, close: async () => undefined };
  },
  ALG_CASES.map((c) => c.alg),
);
