import { afterEach, describe, expect, it } from 'vitest';
import { dialogFocus, focusOr, keepFocus, nextKeyAfter } from './focus';

describe('nextKeyAfter', () => {
  it.each([
    [['a', 'b', 'c'], 'b', 'c'],
    [['a', 'b', 'c'], 'a', 'b'],
    [['a', 'b', 'c'], 'c', 'b'],
    [['a'], 'a', null],
    [[], 'a', null],
    [['a', 'b'], 'x', 'a'],
  ] as const)('in %j after %s: %s', (keys, gone, want) => {
    expect(nextKeyAfter(keys, gone)).toBe(want);
  });
});

describe('focus moves', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('focusOr makes a plain element focusable, and falls back when it is gone', () => {
    document.body.innerHTML = '<p id="p">text</p><div id="list"></div>';
    const p = document.getElementById('p') as HTMLElement;
    expect(focusOr(p)).toBe(true);
    expect(document.activeElement).toBe(p);
    p.remove();
    expect(focusOr(p, document.getElementById('list'))).toBe(true);
    expect(document.activeElement?.id).toBe('list');
  });

  it('a question takes focus when it opens, answers Escape, and gives focus back when it closes', async () => {
    document.body.innerHTML = '<button id="open">Remove…</button><div id="q" role="alertdialog"><p>Sure?</p><button id="keep">Keep</button><button>Remove</button></div>';
    const open = document.getElementById('open') as HTMLElement;
    open.focus();
    const q = document.getElementById('q') as HTMLElement;
    let cancelled = 0;
    const action = dialogFocus(q, { oncancel: () => cancelled++ });
    expect(document.activeElement?.id).toBe('keep');
    q.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(cancelled).toBe(1);
    q.remove();
    action.destroy();
    await Promise.resolve();
    expect(document.activeElement).toBe(open);
  });

  it('a closing question leaves focus alone when the person has moved it elsewhere', async () => {
    document.body.innerHTML = '<button id="open">Remove…</button><input id="other"><div id="q"><button>Keep</button></div>';
    (document.getElementById('open') as HTMLElement).focus();
    const q = document.getElementById('q') as HTMLElement;
    const action = dialogFocus(q);
    (document.getElementById('other') as HTMLElement).focus();
    action.destroy();
    q.remove();
    await Promise.resolve();
    expect(document.activeElement?.id).toBe('other');
  });
});

describe('keepFocus', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('sends focus to the main heading when the focused control is taken out', async () => {
    document.body.innerHTML = '<main id="m"><h2 id="h">Members</h2><ul><li><button id="row">Open</button></li></ul></main>';
    const main = document.getElementById('m') as HTMLElement;
    const action = keepFocus(main);
    const row = document.getElementById('row') as HTMLElement;
    row.focus();
    row.closest('ul')?.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(document.activeElement?.id).toBe('h');
    action.destroy();
  });

  it('leaves focus alone when nothing focused was removed', async () => {
    document.body.innerHTML = '<main id="m"><h2 id="h">Members</h2><p id="p">x</p><input id="i"></main>';
    const main = document.getElementById('m') as HTMLElement;
    const action = keepFocus(main);
    (document.getElementById('i') as HTMLElement).focus();
    document.getElementById('p')?.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(document.activeElement?.id).toBe('i');
    action.destroy();
  });
});
