import { expect, it } from 'vitest';
import cases from '../../../src/words/number_cases.json';
import { formatDuration, formatPercent } from './numbers';
import { formatNumber, type Locale } from './i18n';

it('writes every shared case as the core writes it', () => {
  expect(cases.length).toBeGreaterThan(20);
  for (const c of cases) {
    const locale = c.lang as Locale;
    const got =
      c.kind === 'percent' ? formatPercent(locale, c.value)
      : c.kind === 'duration' ? formatDuration(locale, c.value)
      : formatNumber(locale, c.value);
    expect(`${c.lang} ${c.kind} ${c.value}: ${got}`).toBe(`${c.lang} ${c.kind} ${c.value}: ${c.text}`);
  }
});

it('never says a response time in years', () => {
  for (const locale of ['en', 'fr', 'es'] as Locale[]) {
    expect(formatDuration(locale, 15_755.5)).toMatch(/30/);
    expect(formatDuration(locale, 1e9)).toBe(formatDuration(locale, 24 * 31));
  }
});
