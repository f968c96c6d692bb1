/**
 * HTML built from text safely: the `html` template escapes every interpolated value unless it is itself `Html`
 * (the result of another `html` template), so a key description, an alias, a tag or an error message can never
 * become markup. The console's pages are made only of these.
 */

/** A piece of markup: only `html` templates make one. */
export class Html {
  readonly #text: string;
  private constructor(text: string) {
    this.#text = text;
  }
  /** @internal */
  static of(text: string): Html {
    return new Html(text);
  }
  toString(): string {
    return this.#text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: `& < > " '` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** What a template may interpolate: markup, text (escaped), numbers, nothing (`undefined`, `null`, `false`), lists. */
export type HtmlValue = Html | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.toString();
  if (value === undefined || value === null || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The template tag: `html\`<td>${alias}</td>\`` escapes `alias`. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return Html.of(out);
}

/** A query string of the non-empty parameters, `?a=1&b=2` (or '' when none). */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
