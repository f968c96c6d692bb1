/**
 * "All 56 KMS operation names are accepted by the port, the AWS adapter and the wire endpoint" (issue 11), checked
 * against the AWS SDK itself: every Command that @aws-sdk/client-kms exports is a KmsPort operation of the model, a
 * method of AwsSdkKms and SimulatedKms, and an operation the wire endpoint dispatches (a request for it is
 * answered by that operation's validation, never UnknownOperationException).
 */
import { expect } from 'chai';
import * as sdk from '@aws-sdk/client-kms';
import { KMS_MODEL } from '../src/adapters/kms-model/kms-operations.js';
import { AwsSdkKms, SimulatedKms, startKmsServer } from '../src/index.js';

/** `ReplicateKeyCommand` → `replicateKey`. */
const sdkOperations = Object.keys(sdk)
  .filter((name) => name.endsWith('Command') && name !== '$Command')
  .map((name) => name.slice(0, 1).toLowerCase() + name.slice(1, -'Command'.length))
  .sort();

describe('every KMS operation (the SDK\'s commands)', () => {
  it('the SDK has the 56 commands this project targets', () => {
    expect(sdkOperations).to.have.length(56);
  });

  it('the operation model (hence the port, the wire codec and the request reader) has exactly the SDK\'s operations', () => {
    expect(Object.keys(KMS_MODEL).sort()).to.deep.equal(sdkOperations);
  });

  it('AwsSdkKms and SimulatedKms have a method for each', () => {
    const aws = new AwsSdkKms({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
    const simulated = new SimulatedKms();
    const missing = sdkOperations.filter(
      (op) => typeof (aws as unknown as Record<string, unknown>)[op] !== 'function' || typeof (simulated as unknown as Record<string, unknown>)[op] !== 'function',
    );
    expect(missing).to.deep.equal([]);
  });

  it('the wire endpoint dispatches each (an empty request is that operation\'s answer, not UnknownOperationException)', async () => {
    const server = await startKmsServer({ kms: new SimulatedKms() });
    try {
      const unknown: string[] = [];
      for (const op of sdkOperations) {
        const target = `TrentService.${op.slice(0, 1).toUpperCase()}${op.slice(1)}`;
        const res = await fetch(server.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
          body: '{}',
        });
        const body = (await res.json().catch(() => ({}))) as { __type?: string };
        if (String(body.__type ?? '').includes('UnknownOperation')) unknown.push(op);
      }
      expect(unknown).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });
});
