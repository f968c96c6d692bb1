/**
 * What every benchmark section hands to `npm run bench` (bench/run.ts): a title, a markdown table, the ratios it
 * measured and notes. Sections run one after another in one process, so every ratio is measured in the same run.
 * Progress goes to stderr through `progress`; only bench/run.ts writes stdout and bench/results.md.
 */
export interface BenchTable {
  /** Optional line printed above the table (what it shows). */
  caption?: string;
  /** Column headings. */
  columns: readonly string[];
  /** Cells, already formatted (numbers as text with their unit or `×`). */
  rows: ReadonlyArray<readonly string[]>;
}

export interface BenchSection {
  /** Markdown heading text (no leading `#`). */
  title: string;
  /** One or more tables, in order. */
  tables: readonly BenchTable[];
  /** Headline figures against the targets, e.g. { name: 'sign ECDSA P-256 vs node:crypto', value: '1.12×', target: '≤ 1.5×', met: true }. */
  targets?: ReadonlyArray<{
    name: string;
    value: string;
    target: string;
    met: boolean;
    /** Optional: by how much it is met or missed, e.g. `12 calls too many`. */
    margin?: string;
  }>;
  /** Images written beside bench/results.md (e.g. an SVG chart), shown under the tables; path relative to bench/. */
  figures?: ReadonlyArray<{ alt: string; path: string }>;
  /** Lines printed under the tables (method, what was skipped and why). */
  notes?: readonly string[];
}

/** Progress reporter: one line on stderr. */
export type Progress = (line: string) => void;

/** A benchmark section: runs, reporting progress, and resolves with what it measured. */
export type BenchRunner = (progress: Progress) => Promise<BenchSection>;

/** A markdown table. */
export function markdownTable(table: BenchTable): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(table.columns), line(table.columns.map(() => '---')), ...table.rows.map(line)].join('\n');
}

/** A ratio as `12.3×` (three significant figures, at least one decimal below 10). */
export function ratio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
}

/** Milliseconds as `1.23 ms`. */
export function ms(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(3)} ms`;
}

/** A duration: `ms()` below one second, else `1.23 s` (`123 s` from 100 s). */
export function duration(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1000) return ms(value);
  const s = value / 1000;
  return `${s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2)} s`;
}
