/**
 * Custom key stores in the simulator (docs/kms-behaviour.md §23): the edges the contract does not reach — the
 * VPC connectivity rules, pagination of DescribeCustomKeyStores, the per-Region quota, the order of CreateKey's
 * checks, keys Unavailable for every cryptographic operation while the store is disconnected, the store deleted
 * once its last key is, and a state directory (schema 2, also one migrated from schema 1) keeping its stores.
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { CreateCustomKeyStoreRequest } from '../../../src/ports/kms.port.js';
import { DAY_MS, ManualClock, bytes, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';
import { TempRoot } from './store/durable/durable-test-kit.js';

let n = 0;
const credential = { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const xks = (extra: Partial<CreateCustomKeyStoreRequest> = {}): CreateCustomKeyStoreRequest => ({
  CustomKeyStoreName: `store-${++n}`,
  CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
  XksProxyUriEndpoint: `https://proxy-${n}.example.com`,
  XksProxyUriPath: '/example/kms/xks/v1',
  XksProxyAuthenticationCredential: credential,
  XksProxyConnectivity: 'PUBLIC_ENDPOINT',
  ...extra,
});
const vpcService = (c: string): string => `com.amazonaws.vpce.us-east-1.vpce-svc-${c.repeat(17)}`;

async function connectedStore(kms: SimulatedKms): Promise<string> {
  const { CustomKeyStoreId } = await kms.createCustomKeyStore(xks());
  await kms.connectCustomKeyStore({ CustomKeyStoreId });
  return CustomKeyStoreId;
}

describe('adapters/simulator/SimulatedKms — custom key stores', () => {
  it('VPC_ENDPOINT_SERVICE needs its service name, unique across stores, and an endpoint of its own', async () => {
    const kms = newKms();
    await expectKmsError(kms.createCustomKeyStore(xks({ XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE' })), 'ValidationException', /XksProxyVpcEndpointServiceName is required/);
    await expectKmsError(kms.createCustomKeyStore(xks({ XksProxyVpcEndpointServiceName: vpcService('a') })), 'ValidationException', /not valid when XksProxyConnectivity is PUBLIC_ENDPOINT/);
    const first = xks({ XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE', XksProxyVpcEndpointServiceName: vpcService('a'), XksProxyVpcEndpointServiceOwner: '111122223333' });
    const { CustomKeyStoreId: id } = await kms.createCustomKeyStore(first);
    const [entry] = (await kms.describeCustomKeyStores({ CustomKeyStoreId: id })).CustomKeyStores;
    expect(entry?.XksProxyConfiguration).to.deep.include({ Connectivity: 'VPC_ENDPOINT_SERVICE', VpcEndpointServiceName: vpcService('a'), VpcEndpointServiceOwner: '111122223333' });
    await expectKmsError(kms.createCustomKeyStore(xks({ XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE', XksProxyVpcEndpointServiceName: vpcService('a') })), 'XksProxyVpcEndpointServiceInUseException');
    await expectKmsError(
      kms.createCustomKeyStore(xks({ XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE', XksProxyVpcEndpointServiceName: vpcService('b'), XksProxyUriEndpoint: first.XksProxyUriEndpoint as string, XksProxyUriPath: '/b/kms/xks/v1' })),
      'XksProxyUriEndpointInUseException',
    );
    await expectKmsError(kms.createCustomKeyStore(xks({ XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.nope' })), 'ValidationException', /xksProxyVpcEndpointServiceName/);
    // Switching to PUBLIC_ENDPOINT drops the VPC endpoint service.
    await kms.updateCustomKeyStore({ CustomKeyStoreId: id, XksProxyConnectivity: 'PUBLIC_ENDPOINT' });
    const [updated] = (await kms.describeCustomKeyStores({ CustomKeyStoreId: id })).CustomKeyStores;
    expect(updated?.XksProxyConfiguration).to.deep.equal({ Connectivity: 'PUBLIC_ENDPOINT', AccessKeyId: credential.AccessKeyId, UriEndpoint: first.XksProxyUriEndpoint, UriPath: first.XksProxyUriPath });
    await expectKmsError(kms.updateCustomKeyStore({ CustomKeyStoreId: id, XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE' }), 'ValidationException', /is required/);
  });

  it('never echoes the password or the secret access key, not even in a validation message', async () => {
    const kms = newKms();
    const e = await expectKmsError(
      kms.createCustomKeyStore({ CustomKeyStoreName: 'hsm', CloudHsmClusterId: 'cluster-1234567890ab', TrustAnchorCertificate: 'PEM', KeyStorePassword: 'short' }),
      'ValidationException',
      "1 validation error detected: Value at 'keyStorePassword' failed to satisfy constraint: Member must have length greater than or equal to 7",
    );
    expect(e.message).not.to.contain('short\'');
    const bad = await expectKmsError(kms.createCustomKeyStore(xks({ XksProxyAuthenticationCredential: { AccessKeyId: 'lowercase-not-base32xx', RawSecretAccessKey: credential.RawSecretAccessKey } })), 'ValidationException');
    expect(bad.message).not.to.contain('lowercase');
  });

  it('pages DescribeCustomKeyStores by ID with a marker; refuses both an ID and a name', async () => {
    const kms = newKms();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await kms.createCustomKeyStore(xks())).CustomKeyStoreId);
    const first = await kms.describeCustomKeyStores({ Limit: 2 });
    expect(first).to.include({ Truncated: true });
    const second = await kms.describeCustomKeyStores({ Limit: 2, Marker: first.NextMarker as string });
    const rest = await kms.describeCustomKeyStores({ Marker: second.NextMarker as string });
    expect(rest.Truncated).to.equal(false);
    const seen = [...first.CustomKeyStores, ...second.CustomKeyStores, ...rest.CustomKeyStores].map((s) => s.CustomKeyStoreId);
    expect(seen).to.deep.equal([...ids].sort());
    await expectKmsError(kms.describeCustomKeyStores({ Marker: 'forged' }), 'InvalidMarkerException');
    await expectKmsError(kms.describeCustomKeyStores({ CustomKeyStoreId: ids[0] as string, CustomKeyStoreName: 'x' }), 'ValidationException');
  });

  it('allows 10 custom key stores per account and Region', async () => {
    const kms = newKms();
    for (let i = 0; i < 10; i++) await kms.createCustomKeyStore(xks());
    await expectKmsError(kms.createCustomKeyStore(xks()), 'LimitExceededException');
  });

  it('CreateKey: Origin and CustomKeyStoreId together, XksKeyId only for EXTERNAL_KEY_STORE, the Origin matching the store type', async () => {
    const kms = newKms();
    const id = await connectedStore(kms);
    await expectKmsError(kms.createKey({ Origin: 'AWS_CLOUDHSM' }), 'ValidationException', 'Origin AWS_CLOUDHSM requires a CustomKeyStoreId.');
    await expectKmsError(kms.createKey({ XksKeyId: 'k' }), 'ValidationException', 'XksKeyId is valid only with Origin EXTERNAL_KEY_STORE.');
    await expectKmsError(kms.createKey({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id }), 'ValidationException', /does not match custom key store/);
    await expectKmsError(kms.createKey({ Origin: 'EXTERNAL', CustomKeyStoreId: id }), 'ValidationException', /requires Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE/);
    expect((await kms.createKey({ Origin: 'EXTERNAL' })).KeyMetadata.KeyState).to.equal('PendingImport');
    await expectKmsError(kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'bad id!' }), 'ValidationException', /xksKeyId/);
    await expectKmsError(kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'k', MultiRegion: true }), 'UnsupportedOperationException', /MultiRegion/);
  });

  it('a key of a disconnected store refuses every cryptographic operation as Unavailable; management still works', async () => {
    const kms = newKms();
    const id = await connectedStore(kms);
    const { KeyMetadata: m } = await kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'k-1' });
    const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: bytes('x') });
    await kms.disconnectCustomKeyStore({ CustomKeyStoreId: id });
    const unavailable = `${keyArn(m.KeyId)} is Unavailable.`;
    await expectKmsError(kms.encrypt({ KeyId: m.KeyId, Plaintext: bytes('x') }), 'KMSInvalidStateException', unavailable);
    await expectKmsError(kms.generateDataKey({ KeyId: m.KeyId, NumberOfBytes: 16 }), 'KMSInvalidStateException', unavailable);
    await expectKmsError(kms.reEncrypt({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: m.KeyId }), 'KMSInvalidStateException', unavailable);
    expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata).to.deep.include({ KeyState: 'Enabled', CustomKeyStoreId: id });
    const origin = `${keyArn(m.KeyId)} origin is EXTERNAL_KEY_STORE which is not valid for this operation.`;
    await expectKmsError(kms.rotateKeyOnDemand({ KeyId: m.KeyId }), 'UnsupportedOperationException', origin);
    await expectKmsError(kms.disableKeyRotation({ KeyId: m.KeyId }), 'UnsupportedOperationException', origin);
    expect((await kms.getKeyRotationStatus({ KeyId: m.KeyId })).KeyRotationEnabled).to.equal(false);
    await kms.disableKey({ KeyId: m.KeyId });
    await kms.tagResource({ KeyId: m.KeyId, Tags: [{ TagKey: 't', TagValue: 'v' }] });
  });

  it('deletes a store once its last key is deleted (pending deletion still counts)', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const id = await connectedStore(kms);
    const { KeyMetadata: m } = await kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'k-1' });
    await kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 7 });
    await kms.disconnectCustomKeyStore({ CustomKeyStoreId: id });
    await expectKmsError(kms.deleteCustomKeyStore({ CustomKeyStoreId: id }), 'CustomKeyStoreHasCMKsException');
    clock.advance(7 * DAY_MS + 1);
    await kms.deleteCustomKeyStore({ CustomKeyStoreId: id });
    expect((await kms.describeCustomKeyStores({})).CustomKeyStores).to.deep.equal([]);
  });

  describe('over a state directory', function () {
    this.timeout(30_000);
    const root = new TempRoot();
    after(() => root.remove());

    it('keeps stores, their state and their keys across a reopen', async () => {
      const dir = root.dir();
      const first = new SimulatedKms({ stateDir: dir });
      const id = await connectedStore(first);
      const { KeyMetadata: m } = await first.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'k-1' });
      await first.close();
      const second = new SimulatedKms({ stateDir: dir });
      const [entry] = (await second.describeCustomKeyStores({ CustomKeyStoreId: id })).CustomKeyStores;
      expect(entry).to.include({ ConnectionState: 'CONNECTED', CustomKeyStoreType: 'EXTERNAL_KEY_STORE' });
      expect((await second.describeKey({ KeyId: m.KeyId })).KeyMetadata).to.deep.include({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyConfiguration: { Id: 'k-1' } });
      await expectKmsError(second.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'k-1' }), 'XksKeyAlreadyInUseException');
      await second.close();
    });

    it('adds custom key stores to a directory written before they existed (schema 1, migrated), its keys untouched', async () => {
      const fixture = fileURLToPath(new URL('../../../fixtures/state-v1/', import.meta.url));
      const dir = root.dir();
      mkdirSync(dir, { mode: 0o700 });
      for (const file of ['state.key', 'state.mdb']) {
        copyFileSync(join(fixture, file), join(dir, file));
        chmodSync(join(dir, file), 0o600);
      }
      const kms = new SimulatedKms({ stateDir: dir });
      expect((await kms.describeCustomKeyStores({})).CustomKeyStores).to.deep.equal([]);
      const before = (await kms.listKeys({})).Keys;
      const { CustomKeyStoreId } = await kms.createCustomKeyStore(xks());
      expect((await kms.describeCustomKeyStores({})).CustomKeyStores.map((s) => s.CustomKeyStoreId)).to.deep.equal([CustomKeyStoreId]);
      expect((await kms.listKeys({})).Keys).to.deep.equal(before);
      expect(before.length).to.be.above(0);
      await kms.close();
    });
  });
});
