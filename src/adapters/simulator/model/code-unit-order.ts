/**
 * The order KMS lists names in (ListAliases, encryption-context canonical form): by UTF-16 code units, as
 * JavaScript's `<` compares strings — SQLite's BINARY collation for the ASCII names KMS allows.
 */
export function codeUnitOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
