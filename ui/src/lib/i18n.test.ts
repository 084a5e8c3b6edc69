import { describe, expect, it } from 'vitest';
import { LOCALES, MESSAGES, pickLocale, translate, type MessageKey } from './i18n';
import { ERROR_CODES } from './bindings/lists';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has every message, with the same placeholders, in every language', () => {
    const keys = Object.keys(MESSAGES.en) as MessageKey[];
    for (const locale of LOCALES) {
      expect(Object.keys(MESSAGES[locale]).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        expect(MESSAGES[locale][key].trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(MESSAGES[locale][key]), `${locale} ${key}`).toEqual(placeholders(MESSAGES.en[key]));
      }
    }
  });

  it('says every error code the core sends in words, in every language', () => {
    for (const code of [...ERROR_CODES, 'internal']) {
      for (const locale of LOCALES) {
        expect(MESSAGES[locale][`error.${code}` as MessageKey], `${locale} error.${code}`).toBeTruthy();
      }
    }
  });

  it('fills placeholders', () => {
    expect(translate('fr', 'members.shown', { shown: 3, total: 10 })).toBe('3 membres sur 10');
    expect(translate('es', 'members.shown', { shown: 3, total: 10 })).toBe('3 de 10 miembros');
  });

  it.each([
    [['fr-CA', 'en'], 'fr'],
    [['es-419'], 'es'],
    [['de-DE', 'es'], 'es'],
    [['de'], 'en'],
    [[], 'en'],
  ])('picks %j -> %s', (preferred, locale) => {
    expect(pickLocale(preferred as string[])).toBe(locale);
  });
});
