/** Target (b): the real AWS SDK v3 (through AwsSdkKms) over real HTTP to our KMS wire endpoint, SimulatedKms behind it. */
import { AwsSdkKms, SimulatedKms, startKmsServer } from '../../src/index.js';
import { kmsPortContract } from './kms-port.contract.js';
import { providerScenario } from './provider-scenario.js';

const credentials = { accessKeyId: 'AKIDWIRETEST', secretAccessKey: 'wire-test-secret' };
const start = async () => {
  const simulator = new SimulatedKms({ region: 'eu-west-1' });
  const servers = [await startKmsServer({ kms: simulator })];
  const kms = new AwsSdkKms({ region: 'eu-west-1', endpoint: servers[0]!.url, credentials });
  // Another Region of the account (multi-Region keys): its own endpoint in front of the simulator's sibling.
  const inRegion = async (region: string) => {
    const server = await startKmsServer({ kms: simulator.inRegion(region) });
    servers.push(server);
    return new AwsSdkKms({ region, endpoint: server.url, credentials });
  };
  return { kms, inRegion, stop: async () => void (await Promise.all(servers.map((s) => s.close()))) };
};

kmsPortContract({ name: 'AwsSdkKms → KMS wire endpoint → SimulatedKms', start });
providerScenario({ name: 'AwsSdkKms → KMS wire endpoint → SimulatedKms', start });
