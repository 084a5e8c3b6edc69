import { describe, expect, it } from 'vitest';
import { LOCALES, MESSAGES, pickLocale, translate, type MessageKey } from './i18n';
import { ERROR_CODES } from './bindings/lists';

/** The parameters a message uses, plain (`{name}`) or counted (`{name, plural, …}`). */
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();
/** Each plural block's branch names. */
const pluralBlocks = (s: string) => [...s.matchAll(/\{\w+, plural,((?:\s*[=\w]+\s*\{[^{}]*\})+)\s*\}/g)].map((m) => [...m[1].matchAll(/([=\w]+)\s*\{/g)].map((b) => b[1]));

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

  it('gives every plural form an `other`, and leaves no block unparsed', () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(MESSAGES[locale])) {
        for (const branches of pluralBlocks(text)) expect(branches, `${locale} ${key}`).toContain('other');
        const filled = translate(locale, key as MessageKey, Object.fromEntries(placeholders(text).map((p) => [p, 2])));
        expect(filled, `${locale} ${key}`).not.toMatch(/, plural,/);
      }
    }
  });

  it("says one thing in the singular, by each language's own rule", () => {
    expect(translate('en', 'members.exported', { count: 1 })).toBe('1 member written.');
    expect(translate('en', 'members.exported', { count: 0 })).toBe('0 members written.');
    expect(translate('en', 'members.exported', { count: 1200 })).toBe('1,200 members written.');
    // French counts 0 and 1 in the singular; Spanish only 1.
    expect(translate('fr', 'today.hidden', { count: 0 })).toBe('0 faite ou reportée');
    expect(translate('fr', 'today.hidden', { count: 3 })).toBe('3 faites ou reportées');
    expect(translate('es', 'today.summary', { count: 1, hidden: 1 })).toBe('1 cosa que hacer hoy · 1 hecha o pospuesta, oculta');
    expect(translate('es', 'board.why.joined', { days: 197 })).toBe('llegó hace 197 días, nunca recibió bienvenida');
    // An exact branch says nothing at all for none.
    const none = translate('fr', 'community.demoRemoveAsk', { members: 120, activities: 9220, imports: 0 });
    expect(none).toContain('effacées de cet ordinateur. Vos réglages');
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
