import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from './App.svelte';
import { MEMBERS, OVERVIEW, member } from './test-fixtures';

afterEach(() => {
  cleanup();
  clearMocks();
});

function mockCore(updates: unknown[] = []) {
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case 'overview':
        return OVERVIEW;
      case 'members_list':
        return MEMBERS;
      case 'search_fold':
        // What the core's fold (src/search.rs) answers for the texts these tests type.
        return ({ 'NÚÑEZ ': 'nunez', mexico: 'mexico' } as Record<string, string>)[a.text as string] ?? 'unexpected';
      case 'member_get':
        return member(MEMBERS.find((m) => m.id === a.id) ?? MEMBERS[0]);
      case 'member_update': {
        updates.push(a);
        const patch = a.patch as { role: 'leader' };
        return { ...member(MEMBERS.find((m) => m.id === a.id) ?? MEMBERS[0]), role: patch.role };
      }
      default:
        throw { code: 'db', message: `unexpected ${cmd}` };
    }
  });
}

const rows = () => document.querySelectorAll('[data-testid="member-row"]');

describe('App', () => {
  it('opens on the community with its member count and table', async () => {
    mockCore();
    render(App);
    expect(await screen.findByText('WASH Practitioners Network')).toBeTruthy();
    expect(screen.getByTestId('member-count').textContent).toBe('5');
    expect(rows()).toHaveLength(5);
  });

  it('narrows the table as one types in the search box', async () => {
    mockCore();
    render(App);
    const search = await screen.findByLabelText('Search members');
    // Typed with accents and in capitals: the core folds it, the key matches.
    await fireEvent.input(search, { target: { value: 'NÚÑEZ ' } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0].textContent).toContain('José Núñez');
    await fireEvent.input(search, { target: { value: 'mexico' } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0].textContent).toContain('José Núñez');
    expect(screen.getByTestId('shown-count').textContent).toContain('1 of 5 members');
  });

  it('shows hostile names as text and runs nothing', async () => {
    mockCore();
    render(App);
    await screen.findByText('<img src=x onerror=alert(1)>');
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('saves a role edited on the member page', async () => {
    const updates: unknown[] = [];
    mockCore(updates);
    render(App);
    await fireEvent.click(await screen.findByText('José Núñez'));
    const select = (await screen.findByTestId('role-select')) as HTMLSelectElement;
    select.value = 'champion';
    await fireEvent.change(select);
    await fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('saved');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ id: '0002', patch: { role: 'champion' } });
  });

  it('shows a core error in plain words', async () => {
    mockIPC(() => {
      throw { code: 'db_open', message: 'cannot open the database at /x/tend.db' };
    });
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Tend could not open its database.');
    expect(alert.textContent).toContain('/x/tend.db');
  });

  it('switches language', async () => {
    mockCore();
    render(App);
    const picker = (await screen.findByTestId('locale')) as HTMLSelectElement;
    picker.value = 'fr';
    await fireEvent.change(picker);
    await waitFor(() => expect(screen.getByRole('navigation').textContent).toContain('Membres'));
    await waitFor(() => expect(screen.getByTestId('shown-count').textContent).toContain('5 membres sur 5'));
    expect(screen.getByRole('navigation').textContent).toContain('Membres');
  });
});
