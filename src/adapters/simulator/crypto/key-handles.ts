/**
 * The runtime handles of keys (KeyObjects, CryptoKeys, RAW signers, raw @noble keys), made once per key id and
 * reused while that key id's material stays the same. The material is compared byte for byte on every use (a
 * memcmp, far cheaper than hashing it), so a key id that gets other material — deleted and seeded again, in this
 * process or another one on the same state directory — never signs with a stale handle.
 *
 * Holds private key handles: nothing here is ever shown (no enumerable state, a custom inspection).
 */
import type { KeyMaterial } from '../store/simulator-store.js';

interface Entry {
  /** A copy of the secret the handles were made from. */
  readonly secret: Buffer;
  readonly values: Map<string, unknown>;
}

export class KeyHandles {
  readonly #entries = new Map<string, Entry>();

  /**
   * The handle `name` of `material` under `keyId`, made by `create` on first use. A promise that rejects is
   * dropped, so the next use tries again; once it resolves, its value replaces it (see `settled`).
   */
  get<T>(keyId: string, material: KeyMaterial, name: string, create: () => T): T {
    let entry = this.#entries.get(keyId);
    if (entry === undefined || !entry.secret.equals(material.secret)) {
      entry?.secret.fill(0);
      entry = { secret: Buffer.from(material.secret), values: new Map() };
      this.#entries.set(keyId, entry);
    }
    const { values } = entry;
    if (values.has(name)) return values.get(name) as T;
    const value = create();
    values.set(name, value);
    if (value instanceof Promise) {
      value.then(
        (resolved: unknown) => {
          if (values.get(name) === value) values.set(name, resolved);
        },
        () => {
          if (values.get(name) === value) values.delete(name);
        },
      );
    }
    return value;
  }

  /**
   * Like `get` for a handle made asynchronously, but without a promise once it has been made: the hot path of
   * a cached key is then synchronous up to the cryptography.
   */
  settled<T>(keyId: string, material: KeyMaterial, name: string, create: () => Promise<T>): T | Promise<T> {
    return this.get<T | Promise<T>>(keyId, material, name, create);
  }

  /** Drops every handle of a key (called when the key is deleted). */
  forget(keyId: string): void {
    const entry = this.#entries.get(keyId);
    entry?.secret.fill(0);
    this.#entries.delete(keyId);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KeyHandles { keys: ${this.#entries.size} }`;
  }

  toJSON(): { keys: number } {
    return { keys: this.#entries.size };
  }
}
