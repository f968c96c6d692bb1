/**
 * The machine a benchmark run happened on, for the head of bench/results.md: CPU model and count, memory, OS,
 * Node version and the date. Read once, at the start of the run.
 */
import { cpus, release, totalmem, type, arch } from 'node:os';

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** ISO 8601, UTC, to the second. */
  date: string;
}

export function describeMachine(now: Date = new Date()): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown',
    cpuCount: list.length,
    memoryGiB: totalmem() / 1024 ** 3,
    os: `${type()} ${release()} (${arch()})`,
    node: process.version,
    date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
