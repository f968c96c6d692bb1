/** Target (b): the real AWS SDK v3 (through AwsSdkKms) over real HTTP to our KMS wire endpoint, SimulatedKms behind it. */
import { AwsSdkKms, SimulatedKms, startKmsServer } from '../../src/index.js';
import { kmsPortContract } from './kms-port.contract.js';
import { providerScenario } from './provider-scenario.js';

const start = async () => {
  const server = await startKmsServer({ kms: new SimulatedKms({ region: 'eu-west-1' }) });
  const kms = new AwsSdkKms({
    region: 'eu-west-1',
    endpoint: server.url,
    credentials: { accessKeyId: 'AKIDWIRETEST', secretAccessKey: 'wire-test-secret' },
  });
  return { kms, stop: () => server.close() };
};

kmsPortContract({ name: 'AwsSdkKms → KMS wire endpoint → SimulatedKms', start });
providerScenario({ name: 'AwsSdkKms → KMS wire endpoint → SimulatedKms', start });
