import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import SourcesView from './SourcesView.svelte';
import type { ImportOutcome } from '../lib/bindings/ImportOutcome';
import type { ImportRecord } from '../lib/bindings/ImportRecord';
import type { MergeSuggestion } from '../lib/bindings/MergeSuggestion';

afterEach(() => {
  cleanup();
  clearMocks();
});

const HISTORY: ImportRecord[] = [
  { id: 'h1', path: '/data/<img src=x onerror=alert(1)>.mbox', kind: 'mbox', finished_at: '2026-05-01T10:00:00Z', status: 'ok', added: 12, present: 0, skipped: 1, detail: '[]' },
  { id: 'h2', path: '/data/junk.txt', kind: null, finished_at: '2026-05-02T10:00:00Z', status: 'failed', added: 0, present: 0, skipped: 0, detail: '/data/junk.txt: not an export Tend can read' },
];
const SUGGESTIONS: MergeSuggestion[] = [{ a: 'm1', a_name: 'José Núñez', b: 'm2', b_name: 'JOSE NUNEZ', reasons: ['same_name'] }];

function mockCore(calls: [string, unknown][]) {
  let suggestions = [...SUGGESTIONS];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd.startsWith('plugin:event')) return 1;
    switch (cmd) {
      case 'import_history':
        return HISTORY;
      case 'merge_suggestions':
        return suggestions;
      case 'drop_folder_get':
        return null;
      case 'members_merge':
        suggestions = [];
        return 'merge-1';
      case 'members_unmerge':
        suggestions = [...SUGGESTIONS];
        return 'm2';
      case 'import_paths': {
        const out: ImportOutcome[] = [
          {
            path: '/data/export.zip',
            report: {
              path: '/data/export.zip', kind: 'slack', added: 1544, already_present: 0, members_added: 71,
              source: 'Water Practitioners',
              community_started: null,
              same_as: { path: '/old/export.zip', finished_at: '2026-11-02T10:00:00Z', source: 'Water Practitioners' },
              skip_groups: [
                { kind: 'event', count: 37, example: 'general/2016-01-15.json line 3 — system message (pinned_item)' },
                { kind: 'file_left_out', count: 1, example: 'general/2016-01-16.json — file left out: EOF' },
              ],
              skipped: [{ location: 'general/2016-01-15.json line 3', kind: 'event', reason: 'system message (pinned_item)' }],
              millis: 700,
            },
            error: null,
          },
          { path: '/data/junk.txt', report: null, error: { code: 'not_an_export', message: '/data/junk.txt: not an export Tend can read' } },
        ];
        return out;
      }
      default:
        return null;
    }
  });
}

describe('SourcesView', () => {
  it('imports a path and reports each file, errors in plain words', async () => {
    const calls: [string, unknown][] = [];
    mockCore(calls);
    let changed = 0;
    render(SourcesView, { onchanged: () => changed++, onerror: () => {} });
    const input = await screen.findByTestId('import-path');
    await fireEvent.input(input, { target: { value: '/data/export.zip' } });
    await fireEvent.click(screen.getByTestId('import-run'));
    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('Slack: 1,544 activities added, 71 new members, 0 already there, 38 left out');
    expect(report.textContent).toContain('source: Water Practitioners');
    const groups = screen.getByTestId('import-skip-groups');
    expect(groups.textContent).toContain('Channel events (topic changes, pins, calls), not activity: 37');
    expect(groups.textContent).toContain('Files or parts of the export that could not be read: 1');
    expect(groups.textContent).not.toContain('pinned_item');
    // The records left out, one by one: by kind in plain words, each by its place.
    const outcomes = screen.getByTestId('import-outcomes').textContent ?? '';
    expect(outcomes).toContain('general/2016-01-15.json line 3');
    expect(outcomes).not.toContain('pinned_item');
    expect(screen.getByTestId('import-same-as').textContent).toContain('/old/export.zip');
    expect(screen.getByTestId('import-outcomes').textContent).toContain('That is not an export Tend can read.');
    expect(calls).toContainEqual(['import_paths', { paths: ['/data/export.zip'], keepBodies: false, source: null }]);
    expect(changed).toBeGreaterThan(0);
  });

  it('imports into the source the user names', async () => {
    const calls: [string, unknown][] = [];
    mockCore(calls);
    render(SourcesView, { onchanged: () => {}, onerror: () => {} });
    await fireEvent.input(await screen.findByTestId('import-path'), { target: { value: '/data/chat.txt' } });
    await fireEvent.input(screen.getByTestId('import-source'), { target: { value: '  Field team  ' } });
    await fireEvent.click(screen.getByTestId('import-run'));
    await screen.findByTestId('import-report');
    expect(calls).toContainEqual(['import_paths', { paths: ['/data/chat.txt'], keepBodies: false, source: 'Field team' }]);
  });

  it('shows the history with imported text as text', async () => {
    mockCore([]);
    render(SourcesView, { onchanged: () => {}, onerror: () => {} });
    const table = await screen.findByTestId('import-history');
    expect(table.textContent).toContain('<img src=x onerror=alert(1)>.mbox');
    expect(table.querySelector('img')).toBeNull();
    expect(table.textContent).toContain('failed');
    // Each import's counts in words, not symbols.
    expect(table.textContent).toContain('12 activities added, 0 already there, 1 left out');
  });

  it('merges a suggestion, says why, and can undo it', async () => {
    const calls: [string, unknown][] = [];
    mockCore(calls);
    render(SourcesView, { onchanged: () => {}, onerror: () => {} });
    const list = await screen.findByTestId('merge-suggestions');
    expect(list.textContent).toContain('same name');
    await fireEvent.click(screen.getByText('Merge'));
    await waitFor(() => expect(screen.queryByTestId('merge-suggestions')).toBeNull());
    expect(calls).toContainEqual(['members_merge', { keep: 'm1', other: 'm2' }]);
    await fireEvent.click(screen.getByText('Undo merge'));
    await screen.findByTestId('merge-suggestions');
    expect(calls).toContainEqual(['members_unmerge', { mergeId: 'merge-1' }]);
  });
});
