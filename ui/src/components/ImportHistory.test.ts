import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import ImportHistory from './ImportHistory.svelte';
import type { ImportRecord } from '../lib/bindings/ImportRecord';
import { failureText } from '../lib/errors';
import { translate } from '../lib/i18n';

afterEach(cleanup);

const FAILED: ImportRecord = {
  id: 'f1',
  path: '/home/ana/Downloads/export.zip',
  kind: null,
  finished_at: '2026-05-02T10:00:00Z',
  status: 'failed',
  added: 0,
  present: 0,
  skipped: 0,
  detail: 'the English text the core kept',
  words: { key: 'import.error.notZip', values: { path: '/home/ana/Downloads/export.zip' } },
};
const OLD: ImportRecord = { ...FAILED, id: 'f0', words: undefined, detail: '/data/junk.txt: not an export Tend can read' };

describe('ImportHistory', () => {
  it('shows a failed import as one line, its reason on demand, in the words of the core', async () => {
    render(ImportHistory, { records: [FAILED] });
    const rows = screen.getByTestId('import-history').querySelectorAll('tbody tr');
    expect(rows).toHaveLength(1);
    const failure = screen.getByTestId('history-failure') as HTMLDetailsElement;
    expect(failure.open).toBe(false);
    expect(failure.querySelector('summary')?.textContent).toContain('failed');
    expect(failure.querySelector('summary')?.textContent).not.toContain('random bytes');
    await fireEvent.click(failure.querySelector('summary') as HTMLElement);
    expect(failure.open).toBe(true);
    const detail = failure.querySelector('.detail')?.textContent ?? '';
    expect(detail).toContain('holds random bytes, not a ZIP archive');
    expect(detail).not.toContain('the English text the core kept');
  });

  it('keeps the text of a failure recorded before its words were kept', () => {
    render(ImportHistory, { records: [OLD] });
    expect(screen.getByTestId('history-failure').textContent).toContain('/data/junk.txt: not an export Tend can read');
  });
});

describe('failureText', () => {
  it('says the whole message in the UI language, values filled in', () => {
    const fr = { t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('fr', key, params) };
    const said = failureText(fr, { message: 'English', words: { key: 'import.error.folder', values: { path: '/d', files: '3' } } });
    expect(said).toBe(translate('fr', 'import.error.folder', { path: '/d', files: '3' }));
    expect(said).toContain('3 fichiers');
    expect(said).not.toContain('English');
    expect(failureText(fr, { message: 'as the core said it' })).toBe('as the core said it');
  });
});
