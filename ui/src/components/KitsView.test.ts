import { afterEach, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import KitsView from './KitsView.svelte';
import type { KitPreview } from '../lib/bindings/KitPreview';
import { MEMBERS } from '../test-fixtures';
import { kitFileName, thisMonth } from '../lib/kits';

afterEach(() => {
  cleanup();
  clearMocks();
});

const PREVIEW: KitPreview = {
  kit: {
    template: 'welcome', lang: 'en', title: 'Welcome to CoP', recipient: 'everyone who joined in 2026-03', members: [],
    sections: [{ id: 'welcome', title: 'Welcome and purpose', markdown: 'Hello' }],
    message: 'Hi <img src=x onerror=alert(1)>, welcome!',
    suggested: [{ id: 't1', title: '<b>Budget</b> a field visit', space: 'questions', replies: 3 }],
    dropped: [], date: '2026-03-20',
  },
  html: '<!DOCTYPE html><html><body><h1>Welcome to CoP</h1></body></html>',
};

it('previews the exported HTML in a sandboxed frame and drops a resource on request', async () => {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'kit_preview') return PREVIEW;
    if (cmd === 'kit_history') return [{ made_at: '2026-03-20T10:00:00Z', template: 'welcome', lang: 'fr', recipient: '<i>Ana</i>', members: 1, format: 'pdf', path: '/tmp/a.pdf' }];
    return null;
  });
  render(KitsView, { members: MEMBERS, onerror: () => {} });
  const history = await screen.findByTestId('kit-history');
  expect(history.querySelector('i')).toBeNull();
  expect(history.textContent).toContain('<i>Ana</i>');
  await fireEvent.click(screen.getByTestId('kit-build'));
  const frame = (await screen.findByTestId('kit-preview')) as HTMLIFrameElement;
  expect(frame.getAttribute('sandbox')).toBe('');
  expect(frame.getAttribute('srcdoc')).toBe(PREVIEW.html);
  expect((screen.getByTestId('kit-message') as HTMLTextAreaElement).value).toContain('<img src=x onerror=alert(1)>');
  const resources = screen.getByTestId('kit-resources');
  expect(resources.querySelector('b')).toBeNull();
  expect(resources.textContent).toContain('3 replies');
  const lang = screen.getByTestId('kit-lang') as HTMLSelectElement;
  expect(lang.options[0].textContent).toBe('Most common in the group');
  await fireEvent.click(screen.getByTestId('kit-kind-member'));
  expect(lang.options[0].textContent).toBe("The member's");
  await fireEvent.click(screen.getByTestId('kit-kind-cohort'));
  await fireEvent.click(resources.querySelector('input') as HTMLInputElement);
  await waitFor(() =>
    expect(calls).toContainEqual(['kit_preview', { request: { template: null, audience: { kind: 'cohort', value: thisMonth(new Date()) }, lang: null, drop_resources: ['t1'] } }]),
  );
});

it('makes safe file names from any recipient', () => {
  expect(kitFileName('José Núñez', 'pdf')).toBe('welcome-Jose-Nunez.pdf');
  expect(kitFileName('../../etc/passwd', 'html')).toBe('welcome-etc-passwd.html');
  expect(kitFileName('李小龙', 'md')).toBe('welcome-李小龙.md');
  expect(kitFileName('<>', 'zip')).toBe('welcome-kit.zip');
});

it('finds the member by typing instead of listing every member', async () => {
  const many = Array.from({ length: 1000 }, (_, i) => ({
    ...MEMBERS[0],
    id: `m${i}`,
    display_name: i === 777 ? 'Alejandro Núñez' : `Member ${i}`,
    search_key: i === 777 ? 'alejandro nunez' : `member ${i}`,
  }));
  mockIPC((cmd, args) => {
    if (cmd === 'search_fold') return (args as { text: string }).text.toLowerCase().replace('ú', 'u').replace('ñ', 'n');
    if (cmd === 'kit_history') return [];
    return null;
  });
  render(KitsView, { members: many, onerror: () => {} });
  await fireEvent.click(screen.getByTestId('kit-kind-member'));
  const select = screen.getByTestId('kit-member') as HTMLSelectElement;
  await waitFor(() => expect(select.options.length).toBe(51));
  expect(select.options[0].textContent).toContain('50 of 1,000 members');
  await fireEvent.input(screen.getByTestId('kit-member-search'), { target: { value: 'Núñez' } });
  await waitFor(() => expect(select.options.length).toBe(2));
  expect(select.options[1].textContent).toBe('Alejandro Núñez');
});
