// Dates as the UI shows and takes them: a calendar day is an ISO string (YYYY-MM-DD), the
// form the core reads; its parts and month names come from here.

/** A calendar day's parts (month 1–12). */
export interface DayParts {
  day: number;
  month: number;
  year: number;
}

/** The parts of an ISO day; today's for an empty or malformed value. */
export function splitIso(iso: string, today: Date = new Date()): DayParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return { day: today.getDate(), month: today.getMonth() + 1, year: today.getFullYear() };
  return { day: Number(m[3]), month: Number(m[2]), year: Number(m[1]) };
}

/** Today on this laptop's calendar (its time zone, not UTC's), as an ISO day. */
export function todayIso(now: Date = new Date()): string {
  return joinIso({ day: now.getDate(), month: now.getMonth() + 1, year: now.getFullYear() }) ?? '';
}

/** Days in a month of a year (month 1–12). */
export function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The ISO day for these parts, the day kept within its month; null when a part is not a number in range. */
export function joinIso({ day, month, year }: DayParts): string | null {
  if (![day, month, year].every(Number.isInteger) || month < 1 || month > 12 || year < 1 || year > 9999 || day < 1) {
    return null;
  }
  const d = Math.min(day, daysIn(month, year));
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(d, 2)}`;
}

/** The twelve month names in a locale, January first. */
export function monthNames(locale: string): string[] {
  const f = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  return Array.from({ length: 12 }, (_, i) => f.format(new Date(Date.UTC(2000, i, 1))));
}

/** The `count` months up to the one of `now`, newest first: their YYYY-MM and their name
 * with the year in a locale ("novembre 2026"). */
export function recentMonths(now: Date, count: number, locale: string): { value: string; label: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getFullYear(), now.getMonth() - i, 1));
    const value = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    return { value, label: formatMonth(value, locale) };
  });
}

/** A `YYYY-MM` month in a locale's words ("mai 2026"); the text itself when malformed. */
export function formatMonth(yyyyMm: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(yyyyMm);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return yyyyMm;
  const f = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return f.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/** An ISO day in a locale's words ("30 novembre 2026"); the text itself when malformed. */
export function formatDay(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** The ISO day `days` days before `iso` (UTC). */
export function daysBefore(iso: string, days: number): string {
  const { day, month, year } = splitIso(iso);
  return new Date(Date.UTC(year, month - 1, day - days)).toISOString().slice(0, 10);
}
