// Accessibility in the real window: axe-core run inside it, keys pressed as a person would,
// and where focus is after each step.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
/** axe-core, from the UI's dev dependencies (`npm ci` in ui/). */
const AXE = readFileSync(join(root, 'ui/node_modules/axe-core/axe.min.js'), 'utf8');
/** How many elements a violation names (the rest are counted). */
const SHOWN = 4;
/** The WCAG 2.2 A and AA rules axe knows. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** The sizes and languages every view is checked at (as the screenshots are). */
export const SIZES = [[1440, 900], [1024, 640]];
export const LANGS = ['en', 'fr', 'es'];

/** WebDriver's codes for the keys the walks press. */
export const KEY = { tab: '\uE004', enter: '\uE007', escape: '\uE00C', space: '\uE00D' };

/** Presses and releases each key in turn, on whatever holds focus. */
export function press(s, ...keys) {
  const actions = keys.flatMap((k) => [{ type: 'keyDown', value: k }, { type: 'keyUp', value: k }]);
  return s.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
}

/** What holds focus: whether it is the page itself, its test id, tag, name (label or
 * text), the Today action it is in and which of its buttons. */
export function focused(s) {
  return s.execute(`const e = document.activeElement;
    return { page: !e || e === document.body || e === document.documentElement, testid: e?.dataset?.testid ?? '',
      tag: e?.tagName?.toLowerCase() ?? '', text: (e?.getAttribute('aria-label') ?? e?.textContent ?? '').trim(),
      key: e?.closest?.('[data-key]')?.dataset.key ?? '', act: e?.dataset?.act ?? '' };`);
}

/** Waits until `ok(focus)` holds for what holds focus; throws saying where focus is. */
export async function focusWhere(s, what, ok, ms = 15000) {
  let last;
  try {
    return await waitFor(what, async () => {
      last = await focused(s);
      return ok(last) && last;
    }, ms);
  } catch {
    throw new Error(`focus is not ${what}: it is on ${JSON.stringify(last)}`);
  }
}

/** Runs axe's WCAG 2.2 A/AA rules on the window as it is; returns each violation as
 * `rule: help (element, …)`. */
export async function axeViolations(s) {
  const has = await s.execute('return typeof window.axe === "object"');
  if (!has) await s.execute(`${AXE}\nreturn true;`);
  const found = await s.cmd('POST', '/execute/async', {
    script: `const done = arguments[arguments.length - 1];
      // The element, and for a contrast failure its colours and ratio.
      const where = (n) => { const d = n.any[0]?.data; return n.target.join(' ') + (d?.contrastRatio ? ' [' + d.fgColor + ' on ' + d.bgColor + ': ' + d.contrastRatio + ']' : ''); };
      window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] })
        .then((r) => done(r.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.slice(0, ${SHOWN}).map(where).join(', ') + (v.nodes.length > ${SHOWN} ? ', …' : '') + ')')),
              (e) => done(['axe failed: ' + e]));`,
    args: [],
  });
  return found;
}

/** Sets the UI language as the language menu does. */
export function setLanguage(s, lang) {
  return s.execute(`const el = document.querySelector('[data-testid="locale"]'); el.value = '${lang}'; el.dispatchEvent(new Event('change'));`);
}

/** Every view at every size and language, through axe: `views` is [what to click to show
 * it, what its content shows when ready]. Returns the violations, each with where it was
 * seen. The window is resized in place, not reopened. */
export async function axeSweep(s, views, { sizes = SIZES, langs = LANGS } = {}) {
  const rect = await s.cmd('GET', '/window/rect');
  const found = [];
  try {
    for (const [w, h] of sizes) {
      const got = await s.cmd('POST', '/window/rect', { width: w, height: h });
      if (got.width !== w || got.height !== h) throw new Error(`the window is ${got.width}×${got.height}, not ${w}×${h} (is the screen big enough?)`);
      for (const lang of langs) {
        await setLanguage(s, lang);
        await waitFor(`the page in ${lang}`, async () => (await s.execute('return document.documentElement.lang')) === lang);
        for (const [open, ready] of views) {
          await s.click(await s.find(open));
          await s.waitFind(ready, 30000);
          for (const v of await axeViolations(s)) found.push(`${open} ${lang} ${w}×${h}: ${v}`);
        }
      }
    }
  } finally {
    await setLanguage(s, 'en');
    await s.cmd('POST', '/window/rect', { width: rect.width, height: rect.height });
  }
  return found;
}
