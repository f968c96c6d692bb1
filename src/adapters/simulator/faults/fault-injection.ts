import type { KmsCallOptions } from '../../../ports/kms.port.js';
import { FAULT_OPERATIONS, type FaultDecision, type FaultPlan, portMethodOf } from './fault-plan.js';

type Operation = (input: unknown, options?: KmsCallOptions) => Promise<unknown>;

/**
 * Puts `plan` in front of every KMS operation of `target` (a SimulatedKms): each call asks the plan first — at
 * once, so the order of calls decides — then waits the rule's latency (a timer; an abortSignal ends the wait), then
 * either throws the injected error without running the operation (nothing changes, so a retry can succeed) or
 * runs it. A call no rule matches goes straight to the operation. The wrappers are own, non-enumerable properties.
 */
export function injectFaults(target: object, plan: FaultPlan): void {
  for (const operation of FAULT_OPERATIONS) {
    const method = portMethodOf(operation);
    const original = Reflect.get(target, method) as Operation | undefined;
    if (typeof original !== 'function') continue;
    const wrapped: Operation = (input, options) => {
      const decision = plan.decide(operation);
      if (decision === undefined) return original.call(target, input, options);
      return afterFault(decision, options, () => original.call(target, input, options));
    };
    Object.defineProperty(target, method, { value: wrapped, writable: true, configurable: true, enumerable: false });
  }
}

async function afterFault(decision: FaultDecision, options: KmsCallOptions | undefined, run: () => Promise<unknown>): Promise<unknown> {
  if (decision.latencyMs > 0) await delay(decision.latencyMs, options?.abortSignal);
  if (decision.error !== undefined) throw decision.error;
  return run();
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
