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
/** The log and context of each tracked facade instance. */
const ENGINES = new WeakMap<object, { readonly log: UsageLog; readonly ctx: EngineContext }>();
/** The prototypes whose methods are wrapped, with the names wrapped on each. */
const WRAPPED = new WeakMap<object, Set<string>>();

type Method = (this: object, ...args: unknown[]) => Promise<unknown>;

/**
 * Tracks the key usage of `facade` (a SimulatedKms): its successes are noted against the key ARN(s) of their
 * answers (`KeyId`, and ReEncrypt's `SourceKeyId`), and its `close` first writes the notes. The tracked methods
 * are wrapped once, on the prototype that defines them — never on the instance, whose own properties stay what
 * they were (fault injection wraps there) — and the wrapper finds the instance's log by `this`.
 */
export function trackKeyUsage(facade: object, store: SimulatorStore, ctx: EngineContext): void {
  const log = new UsageLog(store);
  LOGS.set(ctx, log);
  ENGINES.set(facade, { log, ctx });
  for (const [method, operation] of Object.entries(TRACKED)) {
    wrapOnce(facade, method, (original) =>
      async function (this: object, ...args: unknown[]) {
        const out = (await original.apply(this, args)) as { KeyId?: unknown; SourceKeyId?: unknown };
        const engine = ENGINES.get(this);
        if (engine !== undefined) noteAnswer(engine, operation, out);
        return out;
      },
    );
  }
  wrapOnce(facade, 'close', (original) =>
    async function (this: object, ...args: unknown[]) {
      await ENGINES.get(this)?.log.flush();
      return original.apply(this, args);
    },
  );
}

function noteAnswer(
  { log, ctx }: { readonly log: UsageLog; readonly ctx: EngineContext },
  operation: KmsKeyLastUsageOperation,
  out: { KeyId?: unknown; SourceKeyId?: unknown },
): void {
  const timestamp = ctx.now();
  for (const arn of new Set([out.KeyId, out.SourceKeyId])) {
    if (typeof arn !== 'string') continue;
    const usage = { operation, timestamp, requestId: ctx.crypto.randomUUID(), eventId: ctx.crypto.randomUUID() };
    log.note(arn.slice(arn.lastIndexOf('/') + 1), usage);
  }
}

/** Replaces `method` on the prototype of `facade` that defines it by `wrap(original)`, once per prototype. */
function wrapOnce(facade: object, method: string, wrap: (original: Method) => Method): void {
  let owner: object | null = Object.getPrototypeOf(facade) as object | null;
  while (owner !== null && !Object.prototype.hasOwnProperty.call(owner, method)) {
    owner = Object.getPrototypeOf(owner) as object | null;
  }
  if (owner === null) return;
  const done = WRAPPED.get(owner) ?? new Set<string>();
  WRAPPED.set(owner, done);
  if (done.has(method)) return;
  done.add(method);
  const original = (owner as Record<string, unknown>)[method];
  if (typeof original !== 'function') return;
  Object.defineProperty(owner, method, { value: wrap(original as Method), writable: true, configurable: true });
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
