/**
 * A set of strings kept in code-unit order (JavaScript's `<`, SQLite's BINARY collation for ASCII), with binary
 * search: membership and the start of a page cost O(log n), a page O(log n + page). Adding or removing moves the
 * tail of one array (a memmove), never a sort.
 */
export class SortedStrings {
  readonly #items: string[] = [];

  get size(): number {
    return this.#items.length;
  }

  has(value: string): boolean {
    return this.#items[this.#lowerBound(value)] === value;
  }

  add(value: string): void {
    const i = this.#lowerBound(value);
    if (this.#items[i] !== value) this.#items.splice(i, 0, value);
  }

  delete(value: string): boolean {
    const i = this.#lowerBound(value);
    if (this.#items[i] !== value) return false;
    this.#items.splice(i, 1);
    return true;
  }

  /** Up to `limit` values greater than `after` (all values when `after` is undefined), ascending. */
  after(after: string | undefined, limit: number): string[] {
    const start = after === undefined ? 0 : this.#upperBound(after);
    return this.#items.slice(start, start + Math.max(0, limit));
  }

  /** A copy of every value, ascending. */
  values(): string[] {
    return [...this.#items];
  }

  /** The first index whose value is >= `value`. */
  #lowerBound(value: string): number {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#items[mid] as string) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose value is > `value`. */
  #upperBound(value: string): number {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#items[mid] as string) <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
