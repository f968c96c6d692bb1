import type {
  CreateCustomKeyStoreRequest,
  CreateCustomKeyStoreResponse,
  CustomKeyStoreIdRequest,
  CustomKeyStoresListEntry,
  DescribeCustomKeyStoresRequest,
  DescribeCustomKeyStoresResponse,
  KmsCallOptions,
  UpdateCustomKeyStoreRequest,
} from '../../../ports/kms.port.js';
import { toHex } from '../../../codec/bytes.js';
import { readRequest } from '../../kms-model/request-reader.js';
import type { EngineContext, TransactionContext } from '../engine-context.js';
import { limitExceeded, validationException } from '../model/exceptions.js';
import { cutPage, pageTail } from '../model/pagination.js';
import {
  CUSTOM_KEY_STORE_LIMIT,
  checkConnectivity,
  checkStoreMembers,
  checkUnique,
  checkUpdate,
  invalidStoreState,
  notFound,
} from '../rules/custom-key-store-rules.js';
import { keyStoreException } from '../model/exceptions.js';
import type { CustomKeyStoreRecord, SimulatorStoreReader, XksProxyRecord } from '../store/simulator-store.js';

/**
 * Custom key stores (docs/kms-behaviour.md §23): CreateCustomKeyStore, DescribeCustomKeyStores,
 * UpdateCustomKeyStore, ConnectCustomKeyStore, DisconnectCustomKeyStore, DeleteCustomKeyStore. A store is a record
 * with a connection state (DISCONNECTED at creation); the simulator has no CloudHSM cluster and no XKS proxy, so
 * Connect succeeds at once. The secrets a request carries are checked by the model and never kept.
 */

const SCOPE = 'DescribeCustomKeyStores';
const DESCRIBE_PAGE = 1000;

export async function createCustomKeyStore(
  ctx: EngineContext,
  input: CreateCustomKeyStoreRequest,
  options: KmsCallOptions | undefined,
): Promise<CreateCustomKeyStoreResponse> {
  options?.abortSignal?.throwIfAborted();
  const request = readRequest('createCustomKeyStore', input);
  const type = request.CustomKeyStoreType ?? 'AWS_CLOUDHSM';
  checkStoreMembers(type, request);
  const record: CustomKeyStoreRecord = {
    customKeyStoreId: `cks-${toHex(ctx.crypto.getRandomValues(new Uint8Array(9))).slice(0, 17)}`,
    customKeyStoreName: request.CustomKeyStoreName,
    customKeyStoreType: type,
    connectionState: 'DISCONNECTED',
    creationDate: ctx.now(),
    ...(type === 'AWS_CLOUDHSM'
      ? { cloudHsmClusterId: request.CloudHsmClusterId as string, trustAnchorCertificate: request.TrustAnchorCertificate as string }
      : { xksProxy: proxyOf(request) }),
  };
  await ctx.write(options, async (tx) => {
    const stores = await allStores(tx.store);
    checkUnique(record, stores);
    if (stores.length >= CUSTOM_KEY_STORE_LIMIT) {
      throw limitExceeded(`An account can have at most ${CUSTOM_KEY_STORE_LIMIT} custom key stores in a Region.`);
    }
    await tx.store.putCustomKeyStore(record);
  });
  return { CustomKeyStoreId: record.customKeyStoreId };
}

export async function describeCustomKeyStores(
  ctx: EngineContext,
  input: DescribeCustomKeyStoresRequest,
  options: KmsCallOptions | undefined,
): Promise<DescribeCustomKeyStoresResponse> {
  const { CustomKeyStoreId: id, CustomKeyStoreName: name, Limit: limit = DESCRIBE_PAGE, Marker: marker } =
    readRequest('describeCustomKeyStores', input);
  if (id !== undefined && name !== undefined) {
    throw validationException('Specify either CustomKeyStoreId or CustomKeyStoreName, not both.');
  }
  await ctx.beforeRead(options);
  if (id !== undefined || name !== undefined) {
    const found =
      id !== undefined ? await ctx.store.getCustomKeyStore(id) : (await allStores(ctx.store)).find((s) => s.customKeyStoreName === name);
    if (found === undefined) throw notFound();
    return { CustomKeyStores: [toListEntry(found)], Truncated: false };
  }
  const after = marker === undefined ? undefined : ctx.markers.decode(SCOPE, marker);
  const fetched = await ctx.store.listCustomKeyStores({ ...(after === undefined ? {} : { after }), limit: limit + 1 });
  const page = cutPage(fetched, limit, (last) => ctx.markers.encode(SCOPE, last.customKeyStoreId));
  return { CustomKeyStores: page.items.map(toListEntry), ...pageTail(page) };
}

export async function updateCustomKeyStore(
  ctx: EngineContext,
  input: UpdateCustomKeyStoreRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const request = readRequest('updateCustomKeyStore', input);
  await ctx.write(options, async (tx) => {
    const store = await storeOf(tx, request.CustomKeyStoreId);
    checkUpdate(store, request);
    const proxy = store.xksProxy;
    const updated: CustomKeyStoreRecord = {
      ...store,
      ...(request.NewCustomKeyStoreName === undefined ? {} : { customKeyStoreName: request.NewCustomKeyStoreName }),
      ...(request.CloudHsmClusterId === undefined ? {} : { cloudHsmClusterId: request.CloudHsmClusterId }),
      ...(proxy === undefined ? {} : { xksProxy: updatedProxy(proxy, request) }),
    };
    if (updated.xksProxy !== undefined) {
      const { connectivity, vpcEndpointServiceName, vpcEndpointServiceOwner } = updated.xksProxy;
      checkConnectivity(connectivity, vpcEndpointServiceName, vpcEndpointServiceOwner);
    }
    checkUnique(updated, await allStores(tx.store));
    await tx.store.putCustomKeyStore(updated);
  });
}

/** DISCONNECTED → CONNECTED at once (no cluster, no proxy to reach); a no-op when CONNECTED. */
export async function connectCustomKeyStore(
  ctx: EngineContext,
  input: CustomKeyStoreIdRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { CustomKeyStoreId: id } = readRequest('connectCustomKeyStore', input);
  await ctx.write(options, async (tx) => {
    const store = await storeOf(tx, id);
    if (store.connectionState !== 'CONNECTED') await tx.store.putCustomKeyStore({ ...store, connectionState: 'CONNECTED' });
  });
}

/** CONNECTED → DISCONNECTED; refused when already DISCONNECTED. */
export async function disconnectCustomKeyStore(
  ctx: EngineContext,
  input: CustomKeyStoreIdRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { CustomKeyStoreId: id } = readRequest('disconnectCustomKeyStore', input);
  await ctx.write(options, async (tx) => {
    const store = await storeOf(tx, id);
    if (store.connectionState === 'DISCONNECTED') throw invalidStoreState(store, 'CONNECTED');
    await tx.store.putCustomKeyStore({ ...store, connectionState: 'DISCONNECTED' });
  });
}

/** Only a DISCONNECTED store with no KMS key left in it (keys pending deletion count until they are deleted). */
export async function deleteCustomKeyStore(
  ctx: EngineContext,
  input: CustomKeyStoreIdRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { CustomKeyStoreId: id } = readRequest('deleteCustomKeyStore', input);
  await ctx.write(options, async (tx) => {
    const store = await storeOf(tx, id);
    if (store.connectionState !== 'DISCONNECTED') throw invalidStoreState(store, 'DISCONNECTED');
    if ((await keyIdsInStore(tx.store, id)).length > 0) {
      throw keyStoreException('CustomKeyStoreHasCMKsException', `Custom key store ${id} has KMS keys: delete them before the custom key store.`);
    }
    await tx.store.deleteCustomKeyStore(id);
  });
}

/** The key IDs of the keys in a custom key store: a scan of every key (O(keys); custom key stores are rare). */
export async function keyIdsInStore(store: SimulatorStoreReader, customKeyStoreId: string, xksKeyId?: string): Promise<string[]> {
  const found: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listKeys({ ...(after === undefined ? {} : { after }), limit: 1000 });
    for (const key of page) {
      if (key.customKeyStoreId === customKeyStoreId && (xksKeyId === undefined || key.xksKeyId === xksKeyId)) found.push(key.keyId);
    }
    if (page.length < 1000) return found;
    after = page[page.length - 1]?.keyId;
  }
}

async function storeOf(tx: TransactionContext, id: string): Promise<CustomKeyStoreRecord> {
  const store = await tx.store.getCustomKeyStore(id);
  if (store === undefined) throw notFound();
  return store;
}

/** Every store of the account and Region: at most CUSTOM_KEY_STORE_LIMIT. */
async function allStores(store: SimulatorStoreReader): Promise<CustomKeyStoreRecord[]> {
  return store.listCustomKeyStores({ limit: DESCRIBE_PAGE });
}

function proxyOf(request: CreateCustomKeyStoreRequest): XksProxyRecord {
  return {
    connectivity: request.XksProxyConnectivity as XksProxyRecord['connectivity'],
    accessKeyId: (request.XksProxyAuthenticationCredential as { AccessKeyId: string }).AccessKeyId,
    uriEndpoint: request.XksProxyUriEndpoint as string,
    uriPath: request.XksProxyUriPath as string,
    ...(request.XksProxyVpcEndpointServiceName === undefined ? {} : { vpcEndpointServiceName: request.XksProxyVpcEndpointServiceName }),
    ...(request.XksProxyVpcEndpointServiceOwner === undefined ? {} : { vpcEndpointServiceOwner: request.XksProxyVpcEndpointServiceOwner }),
  };
}

/** The proxy settings after an update; switching to PUBLIC_ENDPOINT drops the VPC endpoint service. */
function updatedProxy(proxy: XksProxyRecord, request: UpdateCustomKeyStoreRequest): XksProxyRecord {
  const connectivity = request.XksProxyConnectivity ?? proxy.connectivity;
  const serviceName = request.XksProxyVpcEndpointServiceName ?? (connectivity === 'PUBLIC_ENDPOINT' ? undefined : proxy.vpcEndpointServiceName);
  const owner = request.XksProxyVpcEndpointServiceOwner ?? (connectivity === 'PUBLIC_ENDPOINT' ? undefined : proxy.vpcEndpointServiceOwner);
  return {
    connectivity,
    accessKeyId: request.XksProxyAuthenticationCredential?.AccessKeyId ?? proxy.accessKeyId,
    uriEndpoint: request.XksProxyUriEndpoint ?? proxy.uriEndpoint,
    uriPath: request.XksProxyUriPath ?? proxy.uriPath,
    ...(serviceName === undefined ? {} : { vpcEndpointServiceName: serviceName }),
    ...(owner === undefined ? {} : { vpcEndpointServiceOwner: owner }),
  };
}

function toListEntry(store: CustomKeyStoreRecord): CustomKeyStoresListEntry {
  const { xksProxy: proxy } = store;
  return {
    CustomKeyStoreId: store.customKeyStoreId,
    CustomKeyStoreName: store.customKeyStoreName,
    CustomKeyStoreType: store.customKeyStoreType,
    ConnectionState: store.connectionState,
    CreationDate: new Date(store.creationDate.getTime()),
    ...(store.cloudHsmClusterId === undefined ? {} : { CloudHsmClusterId: store.cloudHsmClusterId }),
    ...(store.trustAnchorCertificate === undefined ? {} : { TrustAnchorCertificate: store.trustAnchorCertificate }),
    ...(proxy === undefined
      ? {}
      : {
          XksProxyConfiguration: {
            Connectivity: proxy.connectivity,
            AccessKeyId: proxy.accessKeyId,
            UriEndpoint: proxy.uriEndpoint,
            UriPath: proxy.uriPath,
            ...(proxy.vpcEndpointServiceName === undefined ? {} : { VpcEndpointServiceName: proxy.vpcEndpointServiceName }),
            ...(proxy.vpcEndpointServiceOwner === undefined ? {} : { VpcEndpointServiceOwner: proxy.vpcEndpointServiceOwner }),
          },
        }),
  };
}
