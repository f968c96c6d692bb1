import type {
  GetKeyLastUsageRequest,
  GetKeyLastUsageResponse,
  KmsCallOptions,
  KmsKeyLastUsageOperation,
} from '../../../ports/kms.port.js';
import { readRequest } from '../../kms-model/request-reader.js';
import type { EngineContext } from '../engine-context.js';
import type { KeyLastUsage, SimulatorStore } from '../store/simulator-store.js';

/**
 * GetKeyLastUsage and the tracking behind it (docs/kms-behaviour.md §20). Every successful cryptographic operation
 * of the facade is noted (operation, time, two fresh UUIDs) against the key it names in its answer; the notes are
 * written to the key records in one store transaction of their own, after the operation has answered and apart
 * from the facade's write queue, so that tracking never slows a Sign or makes reads wait. GetKeyLastUsage (and
 * `close`) first wait for the notes taken so far to be written.
 */

/** The facade methods whose success is tracked, and the operation name each records (AWS's enum). */
const TRACKED: Readonly<Record<string, KmsKeyLastUsageOperation>> = {
  decapsulate: 'Decapsulate',
  decrypt: 'Decrypt',
  deriveSharedSecret: 'DeriveSharedSecret',
  encapsulate: 'Encapsulate',
  encrypt: 'Encrypt',
  generateDataKey: 'GenerateDataKey',
  generateDataKeyPair: 'GenerateDataKeyPair',
  generateDataKeyPairWithoutPlaintext: 'GenerateDataKeyPairWithoutPlaintext',
  generateDataKeyWithoutPlaintext: 'GenerateDataKeyWithoutPlaintext',
  generateMac: 'GenerateMac',
  reEncrypt: 'ReEncrypt',
  sign: 'Sign',
  verify: 'Verify',
  verifyMac: 'VerifyMac',
};

/** The pending notes of one engine and the one write that flushes them. */
class UsageLog {
  readonly #store: SimulatorStore;
  readonly #pending = new Map<string, KeyLastUsage>();
  #flushing: Promise<void> | undefined;

  constructor(store: SimulatorStore) {
    this.#store = store;
  }

  note(keyId: string, usage: KeyLastUsage): void {
    this.#pending.set(keyId, usage);
    this.#flushing ??= Promise.resolve().then(() => this.#write());
  }

  /** Resolves once every note taken before the call is in the store (or could not be written: best effort). */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  async #write(): Promise<void> {
    const notes = [...this.#pending];
    this.#pending.clear();
    try {
      await this.#store.transaction(async (tx) => {
        for (const [keyId, usage] of notes) {
          const record = await tx.getKey(keyId); // a key deleted meanwhile has nothing to note
          if (record === undefined || (record.lastUsage?.timestamp ?? 0) > usage.timestamp) continue;
          await tx.updateKey({ ...record, lastUsage: usage });
        }
      });
    } catch {
      // Tracking is best effort (a store closed under a late note): the operation itself has succeeded.
    } finally {
      this.#flushing = this.#pending.size > 0 ? Promise.resolve().then(() => this.#write()) : undefined;
    }
  }
}

const LOGS = new WeakMap<EngineContext, UsageLog>();

/**
 * Wraps the tracked methods of `facade` (those it has) so that each success is noted against the key ARN(s) of
 * its answer (`KeyId`, and ReEncrypt's `SourceKeyId`), and its `close` so that it first writes the notes.
 */
export function trackKeyUsage(facade: object, store: SimulatorStore, ctx: EngineContext): void {
  const log = new UsageLog(store);
  LOGS.set(ctx, log);
  const target = facade as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [method, operation] of Object.entries(TRACKED)) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = async (...args: unknown[]) => {
      const out = (await original.apply(facade, args)) as { KeyId?: unknown; SourceKeyId?: unknown };
      const timestamp = ctx.now();
      for (const arn of new Set([out.KeyId, out.SourceKeyId])) {
        if (typeof arn !== 'string') continue;
        const usage = { operation, timestamp, requestId: ctx.crypto.randomUUID(), eventId: ctx.crypto.randomUUID() };
        log.note(arn.slice(arn.lastIndexOf('/') + 1), usage);
      }
      return out;
    };
  }
  const close = target['close'];
  if (typeof close === 'function') {
    target['close'] = async (...args: unknown[]) => {
      await log.flush();
      return close.apply(facade, args);
    };
  }
}

/**
 * The last tracked use of a key: KeyId or key ARN only (an alias is refused like a malformed key ID), any key
 * state. `KeyLastUsage` is `{}` until the first use; TrackingStartDate is the key's creation (the simulator has
 * tracked every key since it was created).
 */
export async function getKeyLastUsage(
  ctx: EngineContext,
  input: GetKeyLastUsageRequest,
  options: KmsCallOptions | undefined,
): Promise<GetKeyLastUsageResponse> {
  const { KeyId } = readRequest('getKeyLastUsage', input);
  await LOGS.get(ctx)?.flush();
  await ctx.beforeRead(options);
  const { record } = await ctx.keyFor('GetKeyLastUsage', KeyId);
  const usage = record.lastUsage;
  return {
    KeyId: record.keyId,
    KeyLastUsage:
      usage === undefined
        ? {}
        : {
            Operation: usage.operation,
            Timestamp: new Date(usage.timestamp.getTime()),
            CloudTrailEventId: usage.eventId,
            KmsRequestId: usage.requestId,
          },
    TrackingStartDate: new Date(record.creationDate.getTime()),
    KeyCreationDate: new Date(record.creationDate.getTime()),
  };
}
