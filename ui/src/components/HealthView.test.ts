import { afterEach, beforeEach, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import HealthView from './HealthView.svelte';
import type { Health } from '../lib/bindings/Health';
import type { Metrics } from '../lib/bindings/Metrics';
import type { Chart } from '../lib/bindings/Chart';
import { resetHealthLens } from '../lib/healthLens.svelte';

beforeEach(() => resetHealthLens());
afterEach(() => {
  cleanup();
  clearMocks();
});

function metrics(over: Partial<Metrics> = {}): Metrics {
  return {
    members_total: 100, members_active: 40, new_members: 5,
    pyramid: { creators: 10, contributors: 30, lurkers: 60 },
    gini: 0.7, absence_factor: 4, top10_share: 0.5,
    response: { threads: 25, answered_48h: 18, answered_48h_share: 0.72, median_first_response_hours: 6.5, p90_first_response_hours: 40, unanswered: 3 },
    peer_reply_share: 0.8,
    activation: { activated_30d_share: 0.6, median_days_to_first_contribution: 4 },
    at_risk: 1, at_risk_members: [{ id: 'm9', display_name: '<b>Eve</b>' }],
    reactivated: 0, net_active_change: 4,
    cross_boundary: { country_share: 0.5, organisation_share: 0.6 },
    retention: [],
    purposes: [],
    ...over,
  };
}

/** A chart as the core sends it: drawing, sentence and table from one value. */
const activeChart: Chart = {
  name: 'active_members',
  title: 'Active members per week',
  alt: 'Active members per week: From 41 to 58 over 2 weeks, highest (58) in the week starting 3 November 2026.',
  table: { columns: ['Week starting', 'Members'], rows: [['27 Oct 2026', '41'], ['3 Nov 2026', '58']] },
  svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>Ünïcode</text></svg>',
};

it('shows each chart with the core\'s sentence as its alternative and its data as a table', async () => {
  const health = { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z', segment: [], first_day: '2026-05-01', last_day: '2026-05-30', days: 30, ...metrics(), previous: metrics() } as Health;
  mockIPC((cmd) => (cmd === 'dashboard' ? { health, charts: [activeChart] } : []));
  render(HealthView, { onopen: () => {}, onerror: () => {} });
  const img = (await screen.findByTestId('chart-active_members')) as HTMLImageElement;
  expect(img.alt).toBe(activeChart.alt);
  const details = screen.getByTestId('chart-table-active_members') as HTMLDetailsElement;
  expect(details.open).toBe(false);
  const summary = screen.getByText('Show as table');
  expect(summary.tagName).toBe('SUMMARY');
  await fireEvent.click(summary);
  const table = details.querySelector('table')!;
  expect(table.querySelector('caption')?.textContent).toBe('Active members per week');
  expect([...table.querySelectorAll('thead th')].map((th) => [th.textContent, th.getAttribute('scope')])).toEqual([['Week starting', 'col'], ['Members', 'col']]);
  const rows = [...table.querySelectorAll('tbody tr')];
  expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual(activeChart.table.rows);
  expect(rows[1].children[0].tagName).toBe('TH');
  expect(rows[1].children[0].getAttribute('scope')).toBe('row');
});

it('shows each metric with its trend, a plain line, and the members gone quiet', async () => {
  const calls: [string, unknown][] = [];
  const health = { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z', segment: [], first_day: '2026-05-01', last_day: '2026-05-30', days: 30, ...metrics(), previous: metrics({ members_active: 35 }) } as Health;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'health_segment_values') {
      return (args as { key: string }).key === 'role'
        ? [{ value: 'member', members: 80 }, { value: 'leader', members: 2 }]
        : [{ value: 'WaterAid', members: 12 }, { value: 'UNICEF', members: 9 }];
    }
    if (cmd === 'stories_list') return [{ id: 's1', told_on: '2026-05-20', tag: 'applied', member_id: null, member_name: '<b>Ana</b>', title: 'Used it', text: 'Saved a week' }];
    return cmd === 'dashboard' ? { health, charts: [activeChart] } : null;
  });
  const opened: string[] = [];
  render(HealthView, { onopen: (id: string) => opened.push(id), onerror: () => {} });
  const active = await screen.findByTestId('card-active');
  expect(active.textContent).toContain('40');
  expect(active.textContent).toContain('previous: 35');
  expect(active.querySelector('.good')).not.toBeNull();
  expect(screen.getByTestId('card-answered').textContent).toContain('18 of 25 questions answered within 2 days');
  const quiet = screen.getByTestId('at-risk');
  expect(document.getElementById(quiet.getAttribute('aria-labelledby') ?? '')?.textContent).toContain('Members gone quiet (1)');
  expect(quiet.querySelector('b')).toBeNull();
  await fireEvent.click(screen.getByText('<b>Eve</b>'));
  expect(opened).toEqual(['m9']);
  await waitFor(() => expect((screen.getByTestId('chart-active_members') as HTMLImageElement).src).toMatch(/^data:image\/svg\+xml;base64,/));
  // One call draws the cards and every chart, in the UI's language.
  const last30 = { period: { kind: 'preset', preset: 'last_30_days' }, segment: [] };
  expect(calls.filter(([c]) => c === 'dashboard')).toEqual([['dashboard', { lens: last30, dark: false, lang: 'en' }]]);
  expect(calls.some(([c]) => c === 'health' || c === 'chart')).toBe(false);
  const stories = await screen.findByTestId('stories');
  await waitFor(() => expect(stories.textContent).toContain('<b>Ana</b>'));
  expect(stories.querySelector('b')).toBeNull();
  // Segments are chosen among the values that exist, with their member counts.
  const key = screen.getByTestId('segment-key') as HTMLSelectElement;
  key.value = 'organisation';
  await fireEvent.change(key);
  await waitFor(() => expect(calls).toContainEqual(['health_segment_values', { key: 'organisation' }]));
  const value = screen.getByTestId('segment-value') as HTMLSelectElement;
  await waitFor(() => expect(value.options.length).toBe(3));
  expect(value.options[1].textContent).toBe('WaterAid (12 members)');
  // Its name says which kind of value it holds, heard apart from the menu beside it.
  expect(value.getAttribute('aria-label')).toBe('Segment: Organisation');
  value.value = 'WaterAid';
  await fireEvent.change(value);
  await fireEvent.click(screen.getByTestId('segment-add'));
  const wateraid = { key: 'organisation', value: 'WaterAid' };
  await waitFor(() => expect(calls).toContainEqual(['dashboard', { lens: { ...last30, segment: [wateraid] }, dark: false, lang: 'en' }]));
  // A second condition of another kind combines with the first, and both are said.
  key.value = 'role';
  await fireEvent.change(key);
  await waitFor(() => expect(calls).toContainEqual(['health_segment_values', { key: 'role' }]));
  // The value menu is made afresh after each reset (see the component): find it again.
  const roles = () => screen.getByTestId('segment-value') as HTMLSelectElement;
  await waitFor(() => expect(roles().options[1]?.textContent).toBe('Member (80 members)'));
  roles().value = 'member';
  await fireEvent.change(roles());
  await fireEvent.click(screen.getByTestId('segment-add'));
  const both = [wateraid, { key: 'role', value: 'member' }];
  await waitFor(() => expect(calls).toContainEqual(['dashboard', { lens: { ...last30, segment: both }, dark: false, lang: 'en' }]));
  expect(screen.getByTestId('segment-conditions').textContent).toContain('Showing only members in: WaterAid and Member');
  // A preset, then dates of one's choice; reversed dates are said and not asked for.
  const picker = screen.getByTestId('health-period') as HTMLSelectElement;
  picker.value = 'this_quarter';
  await fireEvent.change(picker);
  await waitFor(() => expect(calls).toContainEqual(['dashboard', { lens: { period: { kind: 'preset', preset: 'this_quarter' }, segment: both }, dark: false, lang: 'en' }]));
  picker.value = 'range';
  await fireEvent.change(picker);
  const year = screen.getByTestId('health-from-year') as HTMLInputElement;
  const asked = calls.length;
  year.value = String(new Date().getFullYear() + 1);
  await fireEvent.change(year);
  expect(await screen.findByTestId('range-reversed')).toBeTruthy();
  expect(calls.slice(asked).some(([c]) => c === 'dashboard')).toBe(false);
  expect(screen.getByTestId('period-shown').textContent).toContain('30 days');
});

it('compares a share with the previous period only when there was something to share', async () => {
  const none = metrics({
    new_members: 0,
    activation: { activated_30d_share: null, median_days_to_first_contribution: null },
    response: { threads: 0, answered_48h: 0, answered_48h_share: null, median_first_response_hours: null, p90_first_response_hours: null, unanswered: 0 },
  });
  const health = { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z', segment: [], first_day: '2026-05-01', last_day: '2026-05-30', days: 30, ...metrics(), previous: none } as Health;
  mockIPC((cmd) => (cmd === 'dashboard' ? { health, charts: [] } : []));
  render(HealthView, { onopen: () => {}, onerror: () => {} });
  const activation = await screen.findByTestId('card-activation');
  expect(activation.textContent).toContain('60%');
  expect(activation.textContent).toContain('no newcomers in the previous period');
  expect(activation.querySelector('.trend')).toBeNull();
  expect(screen.getByTestId('card-answered').textContent).toContain('no questions in the previous period');
});

it('says a share of nothing is no number', async () => {
  // An empty community: no newcomer, no reply, no answered question.
  const none = metrics({
    new_members: 0,
    activation: { activated_30d_share: null, median_days_to_first_contribution: null },
    peer_reply_share: null,
    response: { threads: 4, answered_48h: 0, answered_48h_share: 0, median_first_response_hours: null, p90_first_response_hours: null, unanswered: 4 },
  });
  const health = { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z', segment: [], first_day: '2026-05-01', last_day: '2026-05-30', days: 30, ...none, previous: metrics() } as Health;
  mockIPC((cmd) => (cmd === 'dashboard' ? { health, charts: [] } : []));
  render(HealthView, { onopen: () => {}, onerror: () => {} });
  const activation = await screen.findByTestId('card-activation');
  expect(activation.textContent).toContain('No one joined in this period.');
  expect(activation.querySelector('.value')?.textContent?.trim()).toBe('—');
  expect(activation.textContent).toContain('previous: 60%');
  const peer = screen.getByTestId('card-peer');
  expect(peer.textContent).toContain('No reply was written in this period.');
  expect(peer.querySelector('.value')?.textContent?.trim()).toBe('—');
  // Four questions, none answered: that share is a number, 0 %.
  expect(screen.getByTestId('card-answered').querySelector('.value')?.textContent).toMatch(/^\s*0%/);
  expect(screen.getByTestId('card-median').textContent).toContain('No question got an answer in this period.');
});

it('writes durations in words, capped, and percents as the language writes them', async () => {
  const slow = metrics({
    response: { threads: 25, answered_48h: 18, answered_48h_share: 0.84, median_first_response_hours: 5.25, p90_first_response_hours: 40, unanswered: 3 },
  });
  const old = metrics({
    response: { threads: 9, answered_48h: 1, answered_48h_share: 0.32, median_first_response_hours: 15_755.5, p90_first_response_hours: 20_000, unanswered: 3 },
  });
  const health = { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z', segment: [], first_day: '2026-05-01', last_day: '2026-05-30', days: 30, ...slow, previous: old } as Health;
  mockIPC((cmd) => (cmd === 'dashboard' ? { health, charts: [] } : []));
  render(HealthView, { onopen: () => {}, onerror: () => {} });
  const median = await screen.findByTestId('card-median');
  expect(median.textContent).toContain('5.3 hours');
  expect(median.textContent).toContain('previous: over 30 days');
  expect(median.textContent).not.toContain('15,755');
  expect(screen.getByTestId('card-answered').textContent).toContain('84%');
});

it('keeps its period and segment when one goes to another view and comes back', async () => {
  const calls: [string, unknown][] = [];
  const health = { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z', segment: [], first_day: '2026-05-01', last_day: '2026-05-30', days: 30, ...metrics(), previous: metrics() } as Health;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'health_segment_values') return [{ value: 'Kenya', members: 12 }];
    return cmd === 'dashboard' ? { health, charts: [] } : [];
  });
  const first = render(HealthView, { onopen: () => {}, onerror: () => {} });
  await screen.findByTestId('card-active');
  const picker = screen.getByTestId('health-period') as HTMLSelectElement;
  picker.value = 'this_quarter';
  await fireEvent.change(picker);
  const value = () => screen.getByTestId('segment-value') as HTMLSelectElement;
  await waitFor(() => expect(value().options.length).toBe(2));
  value().value = 'Kenya';
  await fireEvent.change(value());
  await fireEvent.click(screen.getByTestId('segment-add'));
  const kept = { period: { kind: 'preset', preset: 'this_quarter' }, segment: [{ key: 'country', value: 'Kenya' }] };
  await waitFor(() => expect(calls).toContainEqual(['dashboard', { lens: kept, dark: false, lang: 'en' }]));
  // Away to another view (the component goes), and back.
  first.unmount();
  calls.length = 0;
  render(HealthView, { onopen: () => {}, onerror: () => {} });
  await screen.findByTestId('card-active');
  expect((screen.getByTestId('health-period') as HTMLSelectElement).value).toBe('this_quarter');
  expect(screen.getByTestId('segment-conditions').textContent).toContain('Kenya');
  expect(calls.filter(([c]) => c === 'dashboard')).toEqual([['dashboard', { lens: kept, dark: false, lang: 'en' }]]);
});
