/**
 * A hand-written SVG line chart (no dependency) of KMS calls per jwks() against K, both axes log-scaled: one
 * decade per major tick, a light grid, minor ticks at 2…9, every point labelled with its value, a legend, and a
 * separate "0" lane under the y axis (a value of 0 has no place on a log scale). White background, viewBox,
 * 640 px wide: readable where GitHub renders a README.
 */

export interface ChartSeries {
  name: string;
  color: string;
  /** Marker drawn at each point. */
  marker: 'circle' | 'square' | 'triangle';
  /** Dash pattern of the line (SVG stroke-dasharray), or undefined for a solid line. */
  dash?: string;
  /** One value per x. */
  values: readonly number[];
}

export interface ChartInput {
  title: string;
  xLabel: string;
  yLabel: string;
  xs: readonly number[];
  series: readonly ChartSeries[];
}

const W = 640;
const H = 400;
const PLOT = { left: 78, right: 430, top: 52, bottom: 340 };
const ZERO_LANE = 26;

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();
const label = (n: number): string => n.toLocaleString('en').replace(/,/g, ' ');

function marker(kind: ChartSeries['marker'], x: number, y: number, color: string): string {
  if (kind === 'square') return `<rect x="${fmt(x - 4)}" y="${fmt(y - 4)}" width="8" height="8" fill="${color}"/>`;
  if (kind === 'triangle') {
    return `<path d="M${fmt(x)} ${fmt(y - 5.5)} L${fmt(x + 5)} ${fmt(y + 3.5)} L${fmt(x - 5)} ${fmt(y + 3.5)} Z" fill="${color}"/>`;
  }
  return `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="4.5" fill="${color}"/>`;
}

/** The chart as an SVG document. */
export function lineChartSvg(input: ChartInput): string {
  const all = input.series.flatMap((s) => s.values);
  const positive = all.filter((v) => v > 0);
  const hasZero = all.some((v) => v <= 0);
  const yLow = Math.min(0, Math.floor(Math.log10(Math.min(...positive, 1))));
  const yHigh = Math.max(yLow + 1, Math.ceil(Math.log10(Math.max(...positive, 1))));
  const logBottom = PLOT.bottom - (hasZero ? ZERO_LANE : 0);
  const xLow = Math.log10(Math.min(...input.xs));
  const xHigh = Math.log10(Math.max(...input.xs));
  const xPad = 0.12 * Math.max(xHigh - xLow, 1);
  const px = (x: number): number =>
    PLOT.left + ((Math.log10(x) - xLow + xPad) / (xHigh - xLow + 2 * xPad)) * (PLOT.right - PLOT.left);
  const py = (v: number): number =>
    v <= 0 ? PLOT.bottom - ZERO_LANE / 2 + 4 : logBottom - ((Math.log10(v) - yLow) / (yHigh - yLow)) * (logBottom - PLOT.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="15" font-weight="bold" fill="#222">${esc(input.title)}</text>`,
  ];
  // Grid and y ticks: decades, minor ticks 2…9.
  for (let d = yLow; d <= yHigh; d++) {
    const y = py(10 ** d);
    out.push(`<line x1="${PLOT.left}" y1="${fmt(y)}" x2="${PLOT.right}" y2="${fmt(y)}" stroke="#d0d0d0"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${fmt(y + 4)}" text-anchor="end" fill="#333">${label(10 ** d)}</text>`);
    if (d === yHigh) continue;
    for (let m = 2; m <= 9; m++) {
      const ym = py(m * 10 ** d);
      out.push(`<line x1="${PLOT.left - 3}" y1="${fmt(ym)}" x2="${PLOT.left}" y2="${fmt(ym)}" stroke="#888"/>`);
      out.push(`<line x1="${PLOT.left}" y1="${fmt(ym)}" x2="${PLOT.right}" y2="${fmt(ym)}" stroke="#f0f0f0"/>`);
    }
  }
  if (hasZero) {
    const y0 = py(0);
    out.push(`<text x="${PLOT.left - 8}" y="${fmt(y0 + 4)}" text-anchor="end" fill="#333">0</text>`);
    out.push(`<line x1="${PLOT.left}" y1="${fmt(y0)}" x2="${PLOT.right}" y2="${fmt(y0)}" stroke="#d0d0d0" stroke-dasharray="2 3"/>`);
    const yb = logBottom + ZERO_LANE / 2 - 6;
    out.push(`<path d="M${PLOT.left - 6} ${fmt(yb + 3)} L${PLOT.left + 6} ${fmt(yb - 3)} M${PLOT.left - 6} ${fmt(yb + 8)} L${PLOT.left + 6} ${fmt(yb + 2)}" stroke="#555"/>`);
  }
  // x ticks.
  for (const x of input.xs) {
    const xx = px(x);
    out.push(`<line x1="${fmt(xx)}" y1="${PLOT.top}" x2="${fmt(xx)}" y2="${PLOT.bottom}" stroke="#eeeeee"/>`);
    out.push(`<line x1="${fmt(xx)}" y1="${PLOT.bottom}" x2="${fmt(xx)}" y2="${PLOT.bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${fmt(xx)}" y="${PLOT.bottom + 19}" text-anchor="middle" fill="#333">${label(x)}</text>`);
  }
  // Axes and their labels.
  out.push(`<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333"/>`);
  out.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 42}" text-anchor="middle" fill="#222">${esc(input.xLabel)}</text>`);
  const yMid = (PLOT.top + PLOT.bottom) / 2;
  out.push(`<text x="20" y="${yMid}" text-anchor="middle" fill="#222" transform="rotate(-90 20 ${yMid})">${esc(input.yLabel)}</text>`);
  // Series: line, markers, value labels.
  input.series.forEach((s, index) => {
    const points = input.xs.map((x, i) => [px(x), py(s.values[i] ?? 0)] as const);
    const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${fmt(x)} ${fmt(y)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    points.forEach(([x, y], i) => {
      out.push(marker(s.marker, x, y, s.color));
      // The first series' labels sit above-left, the last's below-right, the others above-right: no two collide.
      const first = index === 0 && input.series.length > 1;
      const below = index === input.series.length - 1;
      const tx = first ? x - 7 : x + 7;
      out.push(
        `<text x="${fmt(tx)}" y="${fmt(below ? y + 16 : y - 8)}"${first ? ' text-anchor="end"' : ''} fill="${s.color}" font-size="11">${label(s.values[i] ?? 0)}</text>`,
      );
    });
  });
  // Legend, right of the plot.
  const lx = PLOT.right + 22;
  input.series.forEach((s, i) => {
    const ly = PLOT.top + 14 + i * 24;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    out.push(marker(s.marker, lx + 14, ly, s.color));
    out.push(`<text x="${lx + 36}" y="${ly + 4}" fill="#222">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
