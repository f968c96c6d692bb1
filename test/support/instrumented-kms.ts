/**
 * A KmsPort wrapper for tests: records every call and can make chosen calls fail the way KMS fails
 * (an error with the exception's name and $fault), to test typed errors and compensation.
 */
import type { KmsPort } from '../../src/ports/kms.port.js';

export type KmsOperation = Exclude<keyof KmsPort, 'region'>;

export interface Fault {
  operation: KmsOperation;
  /** Fail only calls whose input matches (default: all calls of that operation). */
  when?: (input: Record<string, unknown>) => boolean;
  /** How many matching calls fail (default 1). */
  times?: number;
  name?: string;
  message?: string;
  fault?: 'client' | 'server';
}

export class KmsFault extends Error {
  readonly $fault: 'client' | 'server';
  constructor(name: string, message: string, fault: 'client' | 'server') {
    super(message);
    this.name = name;
    this.$fault = fault;
  }
}

export interface InstrumentedKms {
  kms: KmsPort;
  calls: Array<{ operation: KmsOperation; input: Record<string, unknown> }>;
  faults: Fault[];
  /** Operation names called, in order. */
  operations(): KmsOperation[];
  reset(): void;
}

export function instrument(inner: KmsPort): InstrumentedKms {
  const state: InstrumentedKms = {
    kms: undefined as unknown as KmsPort,
    calls: [],
    faults: [],
    operations: () => state.calls.map((c) => c.operation),
    reset: () => {
      state.calls.length = 0;
      state.faults.length = 0;
    },
  };
  state.kms = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === 'region' || typeof value !== 'function') return value;
      const operation = property as KmsOperation;
      return async (input: Record<string, unknown>, options?: unknown) => {
        state.calls.push({ operation, input });
        const fault = state.faults.find((f) => f.operation === operation && (f.times ?? 1) > 0 && (f.when?.(input) ?? true));
        if (fault) {
          fault.times = (fault.times ?? 1) - 1;
          throw new KmsFault(fault.name ?? 'KMSInternalException', fault.message ?? `injected ${operation} failure`, fault.fault ?? 'server');
        }
        return (value as (i: unknown, o?: unknown) => Promise<unknown>).call(target, input, options);
      };
    },
  });
  return state;
}
