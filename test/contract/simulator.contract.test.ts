import { SimulatedKms } from '../../src/index.js';
import { kmsPortContract } from './kms-port.contract.js';

kmsPortContract({
  name: 'SimulatedKms (in process)',
  start: async () => ({ kms: new SimulatedKms(), stop: async () => {} }),
});
