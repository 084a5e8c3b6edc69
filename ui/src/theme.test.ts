// Every theme's colour pairs meet WCAG's contrast: 4.5:1 for text, 3:1 for focus rings and
// the borders that show where a control is. Read from app.css itself, so a changed colour
// is checked where it is defined.
import { describe, expect, it } from 'vitest';
import css from './app.css?raw';

/** WCAG's relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG's contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The custom properties set in the first block after `start`. */
function vars(start: string): Record<string, string> {
  const at = css.indexOf(start);
  const block = css.slice(css.indexOf('{', at + start.length - 1), css.indexOf('}', at));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1], m[2]]));
}

const THEMES = { light: vars(':root {'), dark: vars('@media (prefers-color-scheme: dark) {\n  :root {') };
const BACKGROUNDS = ['bg', 'surface', 'surface-2', 'row-hover'];
/** [foreground, backgrounds it is drawn on, the ratio it needs]. */
const PAIRS: [string, string[], number][] = [
  ['text', [...BACKGROUNDS, 'accent-soft', 'danger-soft'], 4.5],
  ['muted', BACKGROUNDS, 4.5],
  ['accent', ['bg', 'surface'], 4.5],
  ['accent-text', ['accent'], 4.5],
  ['danger', ['bg', 'surface'], 4.5],
  ['surface', ['danger'], 4.5],
  ['warn', ['bg', 'surface'], 4.5],
  // The ring is drawn 2px outside the control, on the background around it.
  ['focus', BACKGROUNDS, 3],
  ['control-border', ['bg', 'surface'], 3],
];

describe.each(Object.entries(THEMES))('the %s theme', (_, colours) => {
  it('defines every colour the pairs use', () => {
    for (const [fg, bgs] of PAIRS) for (const name of [fg, ...bgs]) expect(colours[name], name).toMatch(/^#/);
  });
  it.each(PAIRS)('%s on %j reaches %d:1', (fg, bgs, need) => {
    for (const bg of bgs) expect(contrast(colours[fg], colours[bg]), `${fg} on ${bg}`).toBeGreaterThanOrEqual(need);
  });
});
