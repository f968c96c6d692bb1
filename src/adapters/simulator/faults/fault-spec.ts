import { InvalidArgumentError } from '../../../domain/errors.js';
import type { KmsExceptionName } from '../../../ports/kms.port.js';
import { FaultPlan, type FaultOptions, type FaultRule } from './fault-plan.js';

/**
 * The text form of a fault plan (docs/kms-behaviour.md §16, "Fault injection"), for a command line:
 *
 *   Sign:rate=0.2:ThrottlingException,DescribeKey:nth=3:KMSInternalException,*:latency=5;seed=42
 *
 * Rules separated by `,`; each is an operation (`Sign`, `DescribeKey`, … or `*`) then `:`-separated parts:
 * `rate=<0–1>`, `nth=<N>`, `times=<N>`, `latency=<ms>` and a KMS exception name. After an optional `;`,
 * `seed=<integer>`. Whitespace around the separators is ignored. Text that starts with `{` is JSON of
 * FaultOptions (`{"seed": 42, "rules": [{"operation": "Sign", "rate": 0.2, "error": "ThrottlingException"}]}`).
 * Reading a file is the caller's: give its text here, and its name as `source`.
 *
 * Returns the checked options (pass them as `new SimulatedKms({ faults })`, or to `new FaultPlan`); every problem
 * is an InvalidArgumentError naming `source`, the rule and the valid choices.
 */
export function parseFaultSpec(text: string, source = 'fault spec'): FaultOptions {
  if (typeof text !== 'string') throw new InvalidArgumentError(`${source} must be a string; got ${typeof text}`);
  const trimmed = text.trim();
  const options = trimmed.startsWith('{') ? fromJson(trimmed, source) : fromCompact(trimmed, source);
  new FaultPlan(options, source); // every check of the option, with the same messages
  return options;
}

const PART_KEYS = ['rate', 'nth', 'times', 'latency'] as const;

function fromJson(text: string, source: string): FaultOptions {
  try {
    return JSON.parse(text) as FaultOptions;
  } catch (e) {
    throw new InvalidArgumentError(`${source}: not valid JSON (${(e as Error).message})`);
  }
}

function fromCompact(text: string, source: string): FaultOptions {
  const [rulesText = '', ...tail] = text.split(';').map((s) => s.trim());
  if (tail.length > 1) throw new InvalidArgumentError(`${source}: at most one ';' (before seed=<integer>)`);
  const options: { seed?: number; rules: FaultRule[] } = { rules: [] };
  if (tail.length === 1) {
    const m = /^seed\s*=\s*(\S+)$/.exec(tail[0]!);
    if (m === null) throw new InvalidArgumentError(`${source}: after ';' comes seed=<integer>; got '${tail[0]}'`);
    options.seed = numberOf(m[1]!);
  }
  if (rulesText === '') return options;
  rulesText.split(',').forEach((ruleText, i) => options.rules.push(ruleOf(ruleText.trim(), `${source}: rule ${i + 1} ('${ruleText.trim()}')`)));
  return options;
}

function ruleOf(text: string, where: string): FaultRule {
  const [operation = '', ...parts] = text.split(':').map((s) => s.trim());
  if (operation === '') throw new InvalidArgumentError(`${where}: starts with an operation name (Sign, DescribeKey, …) or *`);
  const rule: Record<string, unknown> = { operation };
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (rule['error'] !== undefined) throw new InvalidArgumentError(`${where}: two exception names ('${String(rule['error'])}', '${part}')`);
      rule['error'] = part as KmsExceptionName;
      continue;
    }
    const key = part.slice(0, eq).trim();
    if (!(PART_KEYS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`${where}: unknown part '${key}'; the parts are ${PART_KEYS.map((k) => `${k}=`).join(', ')} and a KMS exception name`);
    }
    const member = key === 'latency' ? 'latencyMs' : key;
    if (rule[member] !== undefined) throw new InvalidArgumentError(`${where}: ${key} given twice`);
    rule[member] = numberOf(part.slice(eq + 1).trim());
  }
  return rule as unknown as FaultRule;
}

/** A decimal number, or the text itself (so that the option's check names what was given). */
function numberOf(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : (text as unknown as number);
}
