import { afterEach, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import SpacePurposes from './SpacePurposes.svelte';
import HealthCard from './HealthCard.svelte';
import type { PurposeUse } from '../lib/bindings/PurposeUse';

afterEach(() => {
  cleanup();
  clearMocks();
});

const use = (purpose: PurposeUse['purpose'], spaces: number, activities: number, active_members: number): PurposeUse =>
  ({ purpose, spaces, activities, active_members });

it('says where the energy goes, which purposes are quiet and which have no space', () => {
  const uses = [use('inspire', 0, 0, 0), use('connect', 1, 0, 0), use('learn', 2, 900, 150), use('co_create', 0, 0, 0), use('educate', 0, 0, 0), use('train', 0, 0, 0), use('feedback', 0, 0, 0)];
  render(SpacePurposes, { uses, onerror: () => {}, onchange: () => {} });
  const rows = [...screen.getByTestId('purposes-table').querySelectorAll('tbody tr')].map((r) => r.textContent);
  expect(rows[2]).toBe('Learn2900150');
  expect(rows[1]).toContain('quiet this period');
  expect(rows[0]).toContain('no space tagged');
});

it('with no space tagged, says what tagging is for', () => {
  const uses = [use('inspire', 0, 0, 0), use('learn', 0, 0, 0)];
  render(SpacePurposes, { uses, onerror: () => {}, onchange: () => {} });
  expect(screen.queryByTestId('purposes-table')).toBeNull();
  expect(document.body.textContent).toContain('No space is tagged with a purpose yet');
});

it('a ticked purpose is saved for that space and the dashboard asked again', async () => {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'spaces_list') return [{ space: 'questions', purposes: ['learn'] }, { space: 'general', purposes: [] }];
    if (cmd === 'space_tag') return { space: 'questions', purposes: ['learn', 'feedback'] };
    return null;
  });
  let changed = 0;
  render(SpacePurposes, { uses: [use('learn', 1, 5, 2)], onerror: () => {}, onchange: () => changed++ });
  await fireEvent.click(screen.getByTestId('purposes-edit'));
  const list = await screen.findByTestId('purposes-spaces');
  await waitFor(() => expect(list.querySelectorAll('li').length).toBe(2));
  const feedback = list.querySelector('li [data-testid="purpose-feedback"]') as HTMLInputElement;
  await fireEvent.click(feedback);
  await waitFor(() => expect(calls).toContainEqual(['space_tag', { space: 'questions', purposes: ['learn', 'feedback'] }]));
  await waitFor(() => expect(changed).toBe(1));
});

it('a card says how its number is counted, in the words the report uses', async () => {
  render(HealthCard, { metric: 'activation', value: 0.5, previous: 0.4, format: (v: number) => `${v * 100}%` });
  expect(document.body.textContent).toContain('Newcomers contributing within 30 days');
  expect(screen.getByTestId('definition').textContent).toBe(
    'Of the members who joined in the period, the share whose first post or reply came within 30 days of joining.',
  );
  // Heard out of context, the ⓘ names the card it explains.
  expect(screen.getByTestId('how-counted').getAttribute('aria-label')).toBe('How is Newcomers contributing within 30 days counted?');
});
