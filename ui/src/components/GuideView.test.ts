import { afterEach, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import GuideView from './GuideView.svelte';
import type { Today } from '../lib/bindings/Today';
import type { PlanView } from '../lib/bindings/PlanView';
import type { Board } from '../lib/bindings/Board';
import { groupActions, UNDO_MS } from '../lib/guide';

afterEach(() => {
  cleanup();
  clearMocks();
});

const TODAY: Today = {
  date: '2026-03-20',
  hidden: 1,
  actions: [
    { key: 'answer:t1', kind: 'answer', score: 910, member_id: 'q', subject: 'Quinn Lee', thread_title: '<script>x()</script>', days: 10, why: 'asked 10 days ago, nobody else has replied', message: 'Hi Quinn', lang: 'en' },
    { key: 'welcome:n', kind: 'welcome', score: 819, member_id: 'n', subject: '<img src=x onerror=alert(1)>', thread_title: null, days: 19, why: 'joined 19 days ago, not yet welcomed', message: 'Bonjour Nadia', lang: 'fr' },
  ],
};

const PLAN: PlanView = {
  playbook: 'Default 90-day plan', is_default: true, launch_date: '2026-03-01', date: '2026-03-20', day: 19,
  phases: [{ id: 'build', title: 'Build', first_day: 1, last_day: 30 }],
  steps: [{
    step: { id: 'purpose', phase: 'build', title: 'Agree the purpose and scope', due_day: 7, owner: 'leader', builds: 'purpose', why: 'Why text', how: 'How text', tips: ['A tip'], done_when: null },
    owner: 'leader', due: '2026-03-08', status: 'open', done_by_evidence: false, timing: 'overdue', note: '', reason: '', evidence: null,
  }],
  closed: 0, stage_checks: [], stage_check_due: true,
};

const BOARD: Board = {
  date: '2026-03-20', stuck: 1,
  inactive: [{ member_id: 'z', name: 'Zoe Gone', role: 'member', country: null, stage: 'joined', evidence_stage: 'joined', override: null, since: '2024-01-01', days_in_stage: 809, stuck: null }],
  columns: (['invited', 'joined', 'welcomed', 'introduced', 'first_contribution', 'regular', 'champion'] as const).map((stage) => ({
    stage,
    cards: stage === 'joined'
      ? [{ member_id: 'n', name: '<b>Nadia</b>', role: 'member', country: 'Morocco', stage, evidence_stage: stage, override: null, since: '2026-03-01', days_in_stage: 19, stuck: { stage: 'joined', days: 19 } }]
      : [],
  })),
};

function mock() {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'guide_today') return TODAY;
    if (cmd === 'plan_view') return PLAN;
    if (cmd === 'onboarding_board') return BOARD;
    if (cmd === 'role_guides') return [{ role: 'leader', title: 'Leader', does: 'Holds the purpose', good: ['Clear purpose'], tips: ['Delegate'] }];
    return null;
  });
  return calls;
}

it('lists today\'s actions as text, with why and an editable message, and marks them done', async () => {
  const calls = mock();
  render(GuideView, { onopen: () => {}, onerror: () => {} });
  const list = await screen.findByTestId('today-list');
  expect(list.querySelector('img')).toBeNull();
  expect(list.querySelector('script')).toBeNull();
  expect(list.textContent).toContain('<img src=x onerror=alert(1)>');
  expect(list.textContent).toContain('asked 10 days ago, nobody else has replied');
  expect(list.textContent).toContain('joined 19 days ago, not yet welcomed');
  expect((list.querySelectorAll('textarea')[1] as HTMLTextAreaElement).value).toBe('Bonjour Nadia');
  await fireEvent.click(screen.getAllByTestId('action-done')[1]);
  await waitFor(() => expect(calls).toContainEqual(['guide_mark', { key: 'welcome:n', mark: { mark: 'done' } }]));
});

it('shows the plan by phase and marks a step done', async () => {
  const calls = mock();
  render(GuideView, { onopen: () => {}, onerror: () => {} });
  await fireEvent.click(screen.getByTestId('tab-plan'));
  const step = await screen.findByTestId('step-purpose');
  expect(step.textContent).toContain('Overdue');
  expect(step.textContent).toContain('How text');
  expect(screen.getByTestId('plan-progress').textContent).toContain('0 of 1 step closed');
  await fireEvent.click(screen.getByTestId('step-done'));
  await waitFor(() => expect(calls).toContainEqual(['plan_change', { step: 'purpose', change: { action: 'done', note: '' } }]));
  await fireEvent.click(screen.getByTestId('stage-record'));
  await waitFor(() => expect(calls).toContainEqual(['plan_stage', { stage: 'coalescing', note: '' }]));
});

it('shows the board with the stuck marked, and sets a stage by hand', async () => {
  const calls = mock();
  render(GuideView, { onopen: () => {}, onerror: () => {} });
  await fireEvent.click(screen.getByTestId('tab-onboarding'));
  const joined = await screen.findByTestId('column-joined');
  expect(joined.querySelector('b')).toBeNull();
  const card = joined.querySelector('.card') as HTMLElement;
  expect(card.dataset.stuck).toBe('true');
  expect(card.textContent).toContain('joined 19 days ago, never welcomed');
  expect(screen.getByTestId('board-inactive').textContent).toContain('1 joined over a year ago');
  card.focus();
  await fireEvent.click(card);
  const select = screen.getByTestId('stage-override') as HTMLSelectElement;
  // The editor opens above the board: focus goes to its menu, named for the member.
  expect(document.activeElement).toBe(select);
  expect(select.labels?.[0]?.textContent).toBe('Stage for <b>Nadia</b>');
  select.value = 'welcomed';
  await fireEvent.change(select);
  await waitFor(() => expect(calls).toContainEqual(['onboarding_set', { member: 'n', stage: 'welcomed', note: '' }]));
});

it('groups today by kind with counts, most pressing first, the plan as a compact list', () => {
  const plan = { ...TODAY.actions[0], key: 'plan:purpose', kind: 'plan' as const, score: 990, member_id: null, subject: 'Agree the purpose' };
  const groups = groupActions([plan, ...TODAY.actions, { ...TODAY.actions[0], key: 'answer:t2', score: 500 }]);
  expect(groups.map((g) => [g.kind, g.actions.length])).toEqual([['answer', 2], ['welcome', 1], ['plan', 1]]);
  expect(groups[0].actions.map((a) => a.key)).toEqual(['answer:t1', 'answer:t2']);
});

it('undoes a Done within a few seconds, and the offer goes away after', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  try {
    const calls = mock();
    render(GuideView, { onopen: () => {}, onerror: () => {} });
    const groups = await screen.findAllByTestId('today-group');
    expect(groups.map((g) => g.querySelector('summary')?.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Questions waiting for an answer 1',
      'Newcomers to welcome 1',
    ]);
    await fireEvent.click(screen.getAllByTestId('action-done')[0]);
    await fireEvent.click(await screen.findByTestId('today-undo-button'));
    await waitFor(() => expect(calls).toContainEqual(['guide_mark', { key: 'answer:t1', mark: { mark: 'clear' } }]));
    await fireEvent.click(screen.getAllByTestId('action-done')[0]);
    await screen.findByTestId('today-undo');
    vi.advanceTimersByTime(UNDO_MS + 100);
    await waitFor(() => expect(screen.queryByTestId('today-undo')).toBeNull());
  } finally {
    vi.useRealTimers();
  }
});

it('works from the keyboard: move, done, undo; not while typing', async () => {
  const calls = mock();
  render(GuideView, { onopen: () => {}, onerror: () => {} });
  await screen.findAllByTestId('today-group');
  await fireEvent.keyDown(window, { key: 'j' });
  await waitFor(() => expect(document.querySelector('[data-focused="true"]')?.textContent).toContain('<img src=x onerror=alert(1)>'));
  // Typing "d" in a message box types, it does not mark anything done.
  const box = screen.getAllByRole('textbox')[0];
  await fireEvent.keyDown(box, { key: 'd' });
  expect(calls.some(([c]) => c === 'guide_mark')).toBe(false);
  await fireEvent.keyDown(window, { key: 'd' });
  await waitFor(() => expect(calls).toContainEqual(['guide_mark', { key: 'welcome:n', mark: { mark: 'done' } }]));
  await fireEvent.keyDown(window, { key: 'u' });
  await waitFor(() => expect(calls).toContainEqual(['guide_mark', { key: 'welcome:n', mark: { mark: 'clear' } }]));
});

it('keeps focus on the list: Done moves it to the next action, Undo back to the one restored', async () => {
  // A core that takes marked actions off the list, and puts them back when cleared.
  const marked = new Set<string>();
  mockIPC((cmd, args) => {
    const a = args as { key: string; mark: { mark: string } };
    if (cmd === 'guide_mark') {
      if (a.mark.mark === 'clear') marked.delete(a.key);
      else marked.add(a.key);
    }
    if (cmd === 'guide_today') return { ...TODAY, actions: TODAY.actions.filter((x) => !marked.has(x.key)) };
    return cmd === 'plan_view' ? PLAN : cmd === 'onboarding_board' ? BOARD : null;
  });
  render(GuideView, { onopen: () => {}, onerror: () => {} });
  const first = (await screen.findAllByTestId('action-done'))[0];
  // Each button says which action it is for, heard out of context.
  expect(first.textContent).toBe('Done: Quinn Lee');
  first.focus();
  await fireEvent.click(first);
  await waitFor(() => expect(document.activeElement?.textContent).toBe('Done: <img src=x onerror=alert(1)>'));
  await fireEvent.click(await screen.findByTestId('today-undo-button'));
  await waitFor(() => expect(document.activeElement?.textContent).toBe('Done: Quinn Lee'));
  // The last one done: focus goes to the list, never to the page.
  (document.activeElement as HTMLElement).click();
  await waitFor(() => expect(document.activeElement?.textContent).toBe('Done: <img src=x onerror=alert(1)>'));
  (document.activeElement as HTMLElement).click();
  await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('today-list')));
});
