// Numbers in words, the window's side of the core's one rule (`src/words/numbers.rs`): the
// same words (from the core's, through `coreWords`), the same thresholds, and both held to
// the same cases (`src/words/number_cases.json`), so cards say what charts and the report say.
import { formatNumber, translate, type Locale } from './i18n';

/** Above this many days a duration is said as "over 30 days" (`DURATION_CAP_DAYS`). */
export const DURATION_CAP_DAYS = 30;
/** Below this many hours a duration is said in hours, above it in days. */
const HOURS_UP_TO = 48;

/** A share (0 to 1) as a whole percent the locale's way: "84%", "84 %", "84 %". */
export function formatPercent(locale: Locale, share: number): string {
  return translate(locale, 'number.percent', { value: Math.round(share * 100) });
}

/** `n` to one decimal, as the plural rule and `#` see it. */
const tenth = (n: number) => Math.round(n * 10) / 10;

/**
 * A duration of `hours` in words: minutes under an hour, hours (one decimal) up to two days,
 * days (one decimal) up to 30, and "over 30 days" beyond.
 */
export function formatDuration(locale: Locale, hours: number): string {
  const h = Math.max(0, hours);
  const minutes = Math.round(h * 60);
  const days = h / 24;
  if (minutes < 60) return translate(locale, 'duration.minutes', { count: Math.max(1, minutes) });
  if (h < HOURS_UP_TO) return translate(locale, 'duration.hours', { count: tenth(h) });
  if (tenth(days) <= DURATION_CAP_DAYS) return translate(locale, 'duration.days', { count: tenth(days) });
  return translate(locale, 'duration.over', { count: DURATION_CAP_DAYS });
}

/** A count as the locale writes it ("1,544", "1 544", "1544"). */
export function formatCount(locale: Locale, n: number): string {
  return formatNumber(locale, n);
}
