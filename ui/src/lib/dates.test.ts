import { describe, expect, it, vi } from 'vitest';
import { formatMonth, joinIso, monthNames, recentMonths, splitIso, todayIso } from './dates';

describe('calendar days', () => {
  it('splits an ISO day and joins it back', () => {
    expect(splitIso('2026-03-09')).toEqual({ day: 9, month: 3, year: 2026 });
    expect(joinIso({ day: 9, month: 3, year: 2026 })).toBe('2026-03-09');
  });

  it('keeps the day within its month, leap years included', () => {
    expect(joinIso({ day: 31, month: 2, year: 2027 })).toBe('2027-02-28');
    expect(joinIso({ day: 31, month: 2, year: 2028 })).toBe('2028-02-29');
    expect(joinIso({ day: 31, month: 4, year: 2026 })).toBe('2026-04-30');
  });

  it('refuses parts that are not a day', () => {
    expect(joinIso({ day: 0, month: 3, year: 2026 })).toBeNull();
    expect(joinIso({ day: 3, month: 13, year: 2026 })).toBeNull();
    expect(joinIso({ day: Number.NaN, month: 3, year: 2026 })).toBeNull();
  });

  it('starts an empty field on today', () => {
    expect(splitIso('', new Date(2026, 10, 30))).toEqual({ day: 30, month: 11, year: 2026 });
  });

  it('names the months in the UI language', () => {
    expect(monthNames('fr')[0].toLowerCase()).toBe('janvier');
    expect(monthNames('es')[11].toLowerCase()).toBe('diciembre');
    expect(monthNames('en')).toHaveLength(12);
  });

  it('lists recent months newest first, named in the UI language', () => {
    const months = recentMonths(new Date(2026, 0, 15), 3, 'fr');
    expect(months.map((m) => m.value)).toEqual(['2026-01', '2025-12', '2025-11']);
    expect(months[1].label.toLowerCase()).toBe('décembre 2025');
  });
});

describe('todayIso', () => {
  it("is the laptop's own calendar day, not UTC's", () => {
    vi.stubEnv('TZ', 'America/Lima');
    try {
      // 22:00 on 30 November in Lima is already 1 December in UTC.
      expect(todayIso(new Date('2026-12-01T03:00:00Z'))).toBe('2026-11-30');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('formatMonth', () => {
  it('names a cohort month in the language, and leaves other text alone', () => {
    expect(formatMonth('2026-05', 'fr')).toBe('mai 2026');
    expect(formatMonth('2026-12', 'es')).toBe('diciembre de 2026');
    expect(formatMonth('2026-13', 'en')).toBe('2026-13');
    expect(formatMonth('someday', 'en')).toBe('someday');
  });
});
