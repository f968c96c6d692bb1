/**
 * npm run bench [-- --only <name,...>] — every benchmark section, in order, in one process: provider (KMS calls
 * and wall time per provider operation, ours vs the original), crypto (the simulator's crypto), endpoint (the wire
 * endpoint vs moto), store (the durable store at 10 and 10 000 keys). Progress on stderr; the markdown report on
 * stdout and in bench/results.md (the provider section also writes bench/jwks-calls.svg). A section that fails is
 * reported as failed, the others still run, and the exit code is 1.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { renderReport, type SectionOutcome } from './report-document.js';
import type { BenchRunner } from './report.js';
import { run as provider } from './provider-calls.js';
import { run as crypto } from './simulator-crypto.js';
import { run as endpoint } from './endpoint.js';
import { run as store } from './durable-store.js';

const SECTIONS: ReadonlyArray<readonly [name: string, run: BenchRunner]> = [
  ['provider', provider],
  ['crypto', crypto],
  ['endpoint', endpoint],
  ['store', store],
];

function selected(argv: readonly string[]): string[] {
  const names = SECTIONS.map(([name]) => name);
  const index = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (index < 0) return names;
  const arg = argv[index]!;
  const value = arg === '--only' ? argv[index + 1] : arg.slice('--only='.length);
  const wanted = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((name) => !names.includes(name));
  if (wanted.length === 0 || unknown.length > 0) {
    process.stderr.write(`bench: --only takes a comma-separated list of: ${names.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}\n`);
    process.exit(2);
  }
  return names.filter((name) => wanted.includes(name));
}

const only = selected(process.argv.slice(2));
const machine = describeMachine();
const progress = (line: string): void => void process.stderr.write(`${line}\n`);
const outcomes: SectionOutcome[] = [];
const started = performance.now();
for (const [name, run] of SECTIONS) {
  if (!only.includes(name)) continue;
  progress(`== ${name}`);
  const start = performance.now();
  try {
    const section = await run(progress);
    outcomes.push({ name, ms: performance.now() - start, section });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`== ${name} FAILED: ${error instanceof Error && error.stack ? error.stack : message}`);
    outcomes.push({ name, ms: performance.now() - start, error: message });
  }
  progress(`== ${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
}
const command = `npm run bench${only.length === SECTIONS.length ? '' : ` -- --only ${only.join(',')}`}`;
const report = renderReport({ machine, command, outcomes, totalMs: performance.now() - started });
process.stdout.write(report);
writeFileSync(fileURLToPath(new URL('results.md', import.meta.url)), report);
progress(`bench: wrote bench/results.md (${((performance.now() - started) / 1000).toFixed(1)} s)`);
if (outcomes.some((o) => !o.section)) process.exitCode = 1;
