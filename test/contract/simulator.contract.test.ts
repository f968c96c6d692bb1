import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import { SimulatedKms } from '../../src/index.js';
import { kmsPortContract } from './kms-port.contract.js';

// The default backend (native node:crypto), as every caller without a `crypto` option gets it.
kmsPortContract({
  name: 'SimulatedKms (in process, default: native node:crypto)',
  start: async () => {
    const kms = new SimulatedKms();
    return { kms, stop: () => kms.close(), inRegion: async (region: string) => kms.inRegion(region) };
  },
});

// The WebCrypto backend, through the `crypto` option as before the native backend existed.
kmsPortContract({
  name: 'SimulatedKms (in process, crypto: @peculiar/webcrypto)',
  start: async () => {
    const kms = new SimulatedKms({ crypto: new PeculiarCrypto() });
    return { kms, stop: () => kms.close(), inRegion: async (region: string) => kms.inRegion(region) };
  },
});
