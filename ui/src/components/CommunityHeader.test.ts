import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import CommunityHeader from './CommunityHeader.svelte';
import SourcesView from './SourcesView.svelte';
import MembersView from './MembersView.svelte';
import { MEMBERS, OVERVIEW } from '../test-fixtures';

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('CommunityHeader', () => {
  it('marks the demo as a demo', () => {
    render(CommunityHeader, { overview: { ...OVERVIEW, demo: true } });
    expect(screen.getByTestId('demo-badge').textContent).toContain('Demo');
  });

  it('asks before removing the demo, saying what goes, then removes it in the core', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return { members: 300, activities: 25400, imports: 1 };
    });
    let changed = 0;
    render(CommunityHeader, { overview: { ...OVERVIEW, demo: true }, onchanged: () => changed++ });
    await fireEvent.click(screen.getByTestId('demo-remove'));
    const ask = await screen.findByTestId('demo-remove-confirm');
    expect(ask.textContent).toContain('300 people and 25,400 activities from this laptop, with the 1 import made into it.');
    expect(calls).toEqual(['demo_removal_preview']);
    await fireEvent.click(screen.getByTestId('demo-remove-yes'));
    await waitFor(() => expect(changed).toBe(1));
    expect(calls).toEqual(['demo_removal_preview', 'demo_remove']);
  });

  it('starts a community from nothing with a name, a purpose and a launch date', async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'community_set') throw { code: 'db', message: `unexpected ${cmd}` };
      calls.push(args);
      const a = args as { name: string; purpose: string; launchDate: string };
      return { ...OVERVIEW, community: { id: 'c', name: a.name, purpose: a.purpose, launch_date: a.launchDate } };
    });
    let changed = 0;
    render(CommunityHeader, { overview: { ...OVERVIEW, community: null }, onchanged: () => changed++ });
    await fireEvent.click(screen.getByTestId('community-start'));
    await fireEvent.input(screen.getByTestId('community-name'), { target: { value: 'Field WASH network' } });
    await fireEvent.input(screen.getByTestId('community-purpose'), { target: { value: 'Share what works.' } });
    await fireEvent.change(screen.getByTestId('community-launch-day'), { target: { value: '1' } });
    await fireEvent.change(screen.getByTestId('community-launch-month'), { target: { value: '12' } });
    await fireEvent.change(screen.getByTestId('community-launch-year'), { target: { value: '2026' } });
    await fireEvent.click(screen.getByTestId('community-save'));
    await waitFor(() => expect(changed).toBe(1));
    expect(calls).toEqual([{ name: 'Field WASH network', purpose: 'Share what works.', launchDate: '2026-12-01' }]);
  });
});

describe('An empty database', () => {
  it('offers the demo, which the core makes', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return { ...OVERVIEW, demo: true };
    });
    let changed = 0;
    render(CommunityHeader, { overview: { ...OVERVIEW, community: null, members_total: 0 }, onchanged: () => changed++ });
    await fireEvent.click(screen.getByTestId('community-demo'));
    await waitFor(() => expect(changed).toBe(1));
    expect(calls).toEqual(['demo_create']);
  });

  it('says the roster is empty and leads to an import', async () => {
    let asked = 0;
    render(MembersView, { members: [], overview: { ...OVERVIEW, community: null, members_total: 0 }, onopen: () => {}, onimport: () => asked++ });
    const empty = screen.getByTestId('members-empty');
    expect(empty.textContent).toContain('No members yet');
    await fireEvent.click(empty.querySelector('button')!);
    expect(asked).toBe(1);
  });
});

describe('Importing into the demo', () => {
  it('asks first, and imports only when told to', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'import_paths') return [];
      if (cmd === 'import_history' || cmd === 'merge_suggestions') return [];
      return null;
    });
    render(SourcesView, { demo: true, onchanged: () => {}, onerror: () => {} });
    await fireEvent.input(await screen.findByTestId('import-path'), { target: { value: '/data/slack.zip' } });
    await fireEvent.click(screen.getByTestId('import-run'));
    expect((await screen.findByTestId('import-demo-confirm')).textContent).toContain('demo community');
    expect(calls).not.toContain('import_paths');
    await fireEvent.click(screen.getByTestId('import-demo-yes'));
    await waitFor(() => expect(calls).toContain('import_paths'));
  });
});

describe('Taking the roster out', () => {
  it('exports the filtered roster as CSV to the file chosen', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'plugin:dialog|save') return '/tmp/members.csv';
      if (cmd === 'roster_export') return 1;
      return '';
    });
    render(MembersView, {
      members: MEMBERS,
      overview: OVERVIEW,
      filter: { search: '', role: 'champion', country: '', organisation: '' },
      onopen: () => {},
    });
    await fireEvent.click(screen.getByTestId('roster-export'));
    await waitFor(() =>
      expect(calls).toContainEqual(['roster_export', { filter: { role: 'champion' }, path: '/tmp/members.csv' }]),
    );
    expect(await screen.findByText('1 member written.')).toBeTruthy();
  });
});
