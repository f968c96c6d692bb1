import { randomInt } from 'node:crypto';
import { InvalidArgumentError } from '../../../domain/errors.js';
import type { KmsExceptionName } from '../../../ports/kms.port.js';
import { KMS_MODEL, type PortMethod } from '../../kms-model/kms-operations.js';
import { KmsException } from '../../kms-exception.js';
import { INJECTABLE_EXCEPTIONS, faultOf, isInjectableException } from './injectable-exceptions.js';

/**
 * The fault plan of `new SimulatedKms({ faults })` (docs/kms-behaviour.md §16, "Fault injection"): the rules,
 * checked once, and the decision for each call — which rules match, the added latency, the error to throw
 * instead of running the operation. Off unless the option is given: there is no default and no environment switch.
 */

/** A KMS operation as KMS names it (`Sign`, `DescribeKey`, …): every KmsPort operation. */
export type FaultOperation = Capitalize<PortMethod>;

export interface FaultRule {
  /** The KMS operation name (`Sign`, `DescribeKey`, …) or `*` for every operation. */
  operation: FaultOperation | '*';
  /** The KMS exception to throw (with `rate` or `nth`). */
  error?: KmsExceptionName;
  /** 0–1: the chance that a call fails, drawn from the seeded PRNG. Not with `nth`. */
  rate?: number;
  /** 1-based: the Nth call of the operation (counted by this rule) fails. Not with `rate`. */
  nth?: number;
  /** With `nth`: that many calls fail from the Nth on; default 1. */
  times?: number;
  /** Milliseconds added (a timer) before every call the rule matches, failing or not. */
  latencyMs?: number;
}

export interface FaultOptions {
  /** The PRNG seed, an integer 0–4294967295; default a random one (reported as `FaultPlan.seed`). */
  seed?: number;
  rules: readonly FaultRule[];
}

/** What happens to one call: wait `latencyMs`, then throw `error` (if any) instead of running the operation. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly error: KmsException | undefined;
}

/** The operation names in KMS spelling, in the model's order: KmsPort method `describeKey` → `DescribeKey`. */
export const FAULT_OPERATIONS: readonly FaultOperation[] = (Object.keys(KMS_MODEL) as PortMethod[]).map(
  (m) => (m[0]!.toUpperCase() + m.slice(1)) as FaultOperation,
);

/** The KmsPort method of a KMS operation name. */
export function portMethodOf(operation: FaultOperation): PortMethod {
  return (operation[0]!.toLowerCase() + operation.slice(1)) as PortMethod;
}

const RULE_MEMBERS = ['operation', 'error', 'rate', 'nth', 'times', 'latencyMs'] as const;
const OPTION_MEMBERS = ['seed', 'rules'] as const;
const MAX_SEED = 0xffff_ffff;
/** The longest delay a timer takes (2^31 - 1 ms). */
const MAX_LATENCY_MS = 2_147_483_647;

interface CheckedRule {
  readonly index: number;
  readonly operation: FaultOperation | '*';
  readonly error: KmsExceptionName | undefined;
  readonly rate: number | undefined;
  readonly nth: number | undefined;
  readonly times: number;
  readonly latencyMs: number;
  readonly text: string;
}

export class FaultPlan {
  /** The PRNG seed in use: give it back as `seed` to replay a run. */
  readonly seed: number;
  readonly rules: readonly Readonly<FaultRule>[];
  readonly #checked: readonly CheckedRule[];
  /** Per rule: the calls it matched so far. */
  readonly #calls: number[];
  /** Per rule: its PRNG state (mulberry32), so one rule's draws do not depend on other operations' calls. */
  readonly #random: number[];

  /** Checks `options` (InvalidArgumentError naming the member and the valid choices); `context` prefixes messages. */
  constructor(options: FaultOptions, context = 'faults') {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new InvalidArgumentError(`${context} must be an object { seed?, rules }; got ${show(options)}`);
    }
    unknownMembers(options, OPTION_MEMBERS, context);
    this.seed = checkSeed(options.seed, `${context}.seed`);
    if (!Array.isArray(options.rules)) {
      throw new InvalidArgumentError(`${context}.rules must be an array of rules; got ${show(options.rules)}`);
    }
    this.#checked = options.rules.map((rule: unknown, i: number) => checkRule(rule, i, `${context}.rules[${i}]`));
    this.rules = this.#checked.map(publicRule);
    this.#calls = this.#checked.map(() => 0);
    this.#random = this.#checked.map((r) => (this.seed ^ Math.imul(r.index + 1, 0x9e37_79b9)) >>> 0);
  }

  /** `faults` as a plan: a FaultPlan as it is (shared, with its counters), options checked into a new one. */
  static from(faults: FaultOptions | FaultPlan, context = 'faults'): FaultPlan {
    return faults instanceof FaultPlan ? faults : new FaultPlan(faults, context);
  }

  /**
   * The decision for a call of `operation`, made when the call is made (so the order of calls decides, not the
   * order they finish); undefined when no rule matches. Every matching rule counts the call and draws (rate), so
   * a rule's outcomes depend only on the calls it matches; the first rule that fires gives the error, the
   * latencies of all matching rules add up.
   */
  decide(operation: FaultOperation): FaultDecision | undefined {
    let matched = false;
    let latencyMs = 0;
    let error: KmsException | undefined;
    for (const rule of this.#checked) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      matched = true;
      const call = (this.#calls[rule.index] = this.#calls[rule.index]! + 1);
      latencyMs += rule.latencyMs;
      if (rule.error === undefined) continue;
      const fires = rule.rate !== undefined ? this.#draw(rule.index) < rule.rate : call >= rule.nth! && call < rule.nth! + rule.times;
      if (fires && error === undefined) error = this.#injected(rule, operation, call);
    }
    return matched ? { latencyMs: Math.min(latencyMs, MAX_LATENCY_MS), error } : undefined;
  }

  #injected(rule: CheckedRule, operation: FaultOperation, call: number): KmsException {
    const message =
      `Injected fault: ${rule.error!} on ${operation} call ${call} ` +
      `(faults rule ${rule.index + 1}, ${rule.text}; seed ${this.seed})`;
    return new KmsException(rule.error!, message, faultOf(rule.error!));
  }

  /** mulberry32: a uniform number in [0, 1) from the rule's own stream. */
  #draw(index: number): number {
    const state = (this.#random[index] = (this.#random[index]! + 0x6d2b_79f5) >>> 0);
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  toJSON(): { seed: number; rules: readonly Readonly<FaultRule>[] } {
    return { seed: this.seed, rules: this.rules };
  }
}

// ---- checks -------------------------------------------------------------------------------------------------

function checkSeed(seed: unknown, where: string): number {
  if (seed === undefined) return randomInt(MAX_SEED + 1);
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new InvalidArgumentError(`${where} must be an integer from 0 to ${MAX_SEED}; got ${show(seed)}`);
  }
  return seed;
}

function checkRule(value: unknown, index: number, where: string): CheckedRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${where} must be an object { ${RULE_MEMBERS.join(', ')} }; got ${show(value)}`);
  }
  unknownMembers(value, RULE_MEMBERS, where);
  const rule = value as Record<(typeof RULE_MEMBERS)[number], unknown>;
  const operation = rule.operation;
  if (operation !== '*' && !FAULT_OPERATIONS.includes(operation as FaultOperation)) {
    throw new InvalidArgumentError(
      `${where}.operation must be '*' or a KMS operation name: ${FAULT_OPERATIONS.join(', ')}; got ${show(operation)}`,
    );
  }
  if (rule.error !== undefined && !isInjectableException(rule.error)) {
    throw new InvalidArgumentError(
      `${where}.error must be a KMS exception name: ${INJECTABLE_EXCEPTIONS.join(', ')}; got ${show(rule.error)}`,
    );
  }
  const rate = optionalNumber(rule.rate, `${where}.rate`, 'a number from 0 to 1', (n) => n >= 0 && n <= 1);
  const nth = optionalNumber(rule.nth, `${where}.nth`, 'an integer from 1 (the first call)', isPositiveInteger);
  const times = optionalNumber(rule.times, `${where}.times`, 'an integer from 1', isPositiveInteger);
  const latencyMs = optionalNumber(
    rule.latencyMs,
    `${where}.latencyMs`,
    `a number of milliseconds from 0 to ${MAX_LATENCY_MS}`,
    (n) => n >= 0 && n <= MAX_LATENCY_MS,
  );
  if (rate !== undefined && nth !== undefined) throw new InvalidArgumentError(`${where}: give rate or nth, not both`);
  if (times !== undefined && nth === undefined) throw new InvalidArgumentError(`${where}: times needs nth`);
  if (rule.error === undefined && (rate !== undefined || nth !== undefined)) {
    throw new InvalidArgumentError(`${where}: rate and nth need an error (a KMS exception name, e.g. ThrottlingException)`);
  }
  if (rule.error !== undefined && rate === undefined && nth === undefined) {
    throw new InvalidArgumentError(`${where}: error needs rate (0–1) or nth (the call that fails)`);
  }
  if (rule.error === undefined && latencyMs === undefined) {
    throw new InvalidArgumentError(`${where} does nothing: give an error (with rate or nth), latencyMs, or both`);
  }
  const checked = {
    index,
    operation: operation as FaultOperation | '*',
    error: rule.error as KmsExceptionName | undefined,
    rate,
    nth,
    times: times ?? 1,
    latencyMs: latencyMs ?? 0,
  };
  return { ...checked, text: ruleText(checked) };
}

function optionalNumber(value: unknown, where: string, what: string, valid: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) {
    throw new InvalidArgumentError(`${where} must be ${what}; got ${show(value)}`);
  }
  return value;
}

function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1;
}

function unknownMembers(value: object, members: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!members.includes(key)) {
      throw new InvalidArgumentError(`${where} has no member '${key}'; the members are ${members.join(', ')}`);
    }
  }
}

/** The rule in the compact spec syntax (fault-spec.ts), for messages: `Sign:rate=0.2:ThrottlingException`. */
function ruleText(rule: Omit<CheckedRule, 'text'>): string {
  const parts: string[] = [rule.operation];
  if (rule.rate !== undefined) parts.push(`rate=${rule.rate}`);
  if (rule.nth !== undefined) parts.push(`nth=${rule.nth}`);
  if (rule.nth !== undefined && rule.times !== 1) parts.push(`times=${rule.times}`);
  if (rule.latencyMs !== 0) parts.push(`latency=${rule.latencyMs}`);
  if (rule.error !== undefined) parts.push(rule.error);
  return parts.join(':');
}

function publicRule(rule: CheckedRule): Readonly<FaultRule> {
  const out: FaultRule = { operation: rule.operation };
  if (rule.error !== undefined) out.error = rule.error;
  if (rule.rate !== undefined) out.rate = rule.rate;
  if (rule.nth !== undefined) out.nth = rule.nth;
  if (rule.nth !== undefined) out.times = rule.times;
  if (rule.latencyMs !== 0) out.latencyMs = rule.latencyMs;
  return Object.freeze(out);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined || typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
