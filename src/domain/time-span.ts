/**
 * Relative times of a token (`expiresIn`, `notBefore`): a number of seconds, or a time span in jose's notation
 * (`'90s'`, `'10m'`, `'2 hours'`, `'1.5h'`, `'7d'`, `'1w'`, `'1y'`) — the units jose documents for
 * `setExpirationTime` / `setNotBefore`: s, sec(s), second(s); m, min(s), minute(s); h, hr(s), hour(s); d, day(s);
 * w, week(s); y, yr(s), year(s) (365.25 days); case-insensitive, an optional space before the unit, a decimal
 * value rounded to whole seconds. Offsets are always forwards from the issue time here: a sign, `ago` or
 * `from now` is refused rather than guessed.
 */
import { InvalidArgumentError } from './errors.js';
import { describe } from './validation.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_557_600 };
const SPAN = /^(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)$/i;

/** The longest span accepted: 100 years (a larger one is almost certainly a unit mistake). */
export const MAX_SPAN_SECONDS = 100 * UNIT_SECONDS.y!;

const FORM =
  `a whole number of seconds, or a time span such as '90s', '10m', '2h', '7d', '1w', '1y' ` +
  `(units s/sec/second, m/min/minute, h/hr/hour, d/day, w/week, y/yr/year)`;

/**
 * Seconds of `value`, a non-negative integer or a time span string; `name` is the option's name in messages.
 * Refused: anything else, and more than MAX_SPAN_SECONDS.
 */
export function timeSpanSeconds(value: unknown, name: string): number {
  let seconds: number;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`${name} must be ${FORM}; got ${describe(value)}`);
    }
    seconds = value;
  } else if (typeof value === 'string') {
    const match = SPAN.exec(value);
    if (!match) throw new InvalidArgumentError(`${name} must be ${FORM}; got ${describe(value)}`);
    seconds = Math.round(Number(match[1]) * UNIT_SECONDS[match[2]![0]!.toLowerCase()]!);
  } else {
    throw new InvalidArgumentError(`${name} must be ${FORM}; got ${describe(value)}`);
  }
  if (seconds > MAX_SPAN_SECONDS) {
    throw new InvalidArgumentError(`${name} must be at most 100 years (${MAX_SPAN_SECONDS} seconds); got ${describe(value)}`);
  }
  return seconds;
}
