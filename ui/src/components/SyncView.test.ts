import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import SyncView from './SyncView.svelte';
import type { SyncStatus } from '../lib/bindings/SyncStatus';
import type { SyncReport } from '../lib/bindings/SyncReport';

afterEach(() => {
  cleanup();
  clearMocks();
});

const STATUS: SyncStatus = {
  device: '01a20a9b-899e-7736-968b-7cc7db0556b0',
  changes: 42,
  transports: [{ transport: 'folder:/shared', pending: 3, last_sync: '2026-11-23T10:00:00Z', last_report: null }],
  name: null,
  devices: [{ device: 'feedbeef-0000-7000-8000-000000000000', name: null, changes: 120, last_change: '2026-11-23T09:00:00Z', last_received: '2026-11-23T10:00:00Z', held: 2 }],
  conflicts: [{
    table: 'members', row: 'm1', label: '<img src=x onerror=alert(1)>', column: 'notes',
    kept: '"from A"', kept_by: 'aaaaaaaa-1', kept_at: '2026-11-23T09:00:00Z',
    lost: '"from B"', lost_by: 'bbbbbbbb-2', lost_at: '2026-11-23T08:59:00Z',
  }],
  held: [{ device: 'feedbeef-0000-7000-8000-000000000000', seq: 7, target: 'members.role', reason: 'refused: members.role must be one of the roles, not "<b>god</b>"' }],
  key_conflicts: [{
    device: 'feedbeef-0000-7000-8000-000000000000', device_name: "Ana's laptop",
    other_device: 'cafe0000-0000-7000-8000-000000000000', other_name: '<i>Tom</i>',
    place: 'feedbeef/000000000001-000000000001-00000000.tseg', seen_at: '2026-11-23T10:00:00Z',
  }],
};
const REPORT: SyncReport = {
  transport: 'folder:/shared', device: STATUS.device, sent: 3, applied: 7, duplicates: 1, held: 0,
  skipped: [
    { name: 'dev/000000000001-000000000002-abcdef01.tseg', kind: 'incomplete', reason: 'half-written or still syncing; will retry' },
    { name: '9990 more like these', kind: 'damaged', reason: 'damaged: not a Tend change file', more: 9990 },
  ],
  notices: [],
};

function mockCore(calls: [string, unknown][]) {
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd.startsWith('plugin:event')) return 1;
    switch (cmd) {
      case 'sync_config_get':
        return { folder: '/shared', hub: null, sealed: false };
      case 'sync_config_set':
        return { folder: '/shared', hub: null, sealed: true };
      case 'sync_status':
        return STATUS;
      case 'sync_now':
        return [REPORT];
      default:
        return null;
    }
  });
}

describe('SyncView', () => {
  it('keeps what is typed into the folder before the saved settings arrive', async () => {
    let answer: (v: unknown) => void = () => {};
    mockIPC((cmd) => {
      if (cmd.startsWith('plugin:event')) return 1;
      if (cmd === 'sync_config_get') return new Promise((r) => { answer = r; });
      return cmd === 'sync_status' ? STATUS : null;
    });
    render(SyncView, { onerror: () => {}, onsynced: () => {} });
    const input = (await screen.findByTestId('sync-folder')) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: '/tmp/shared' } });
    answer({ folder: null, hub: null, sealed: false });
    await screen.findByTestId('sync-device');
    expect(input.value).toBe('/tmp/shared');
  });

  it('shows devices, held changes and conflicts with both values, as text', async () => {
    mockCore([]);
    const { container } = render(SyncView, { onerror: () => {}, onsynced: () => {} });
    await screen.findByTestId('sync-conflicts');
    expect(screen.getByTestId('sync-device').textContent).toContain('01a20a9b');
    expect(screen.getByTestId('sync-devices').textContent).toContain('feedbeef');
    const conflicts = screen.getByTestId('sync-conflicts').textContent ?? '';
    expect(conflicts).toContain('"from A"');
    expect(conflicts).toContain('"from B"');
    expect(conflicts).toContain('<img src=x onerror=alert(1)>');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText(/not sealed/)).toBeTruthy();
    const held = screen.getByTestId('sync-held').textContent ?? '';
    expect(held).toContain('members.role');
    expect(held).toContain('"<b>god</b>"');
    expect(container.querySelector('b')).toBeNull();
    const keys = screen.getByTestId('sync-key-conflicts').textContent ?? '';
    expect(keys).toContain("Ana's laptop");
    expect(keys).toContain('<i>Tom</i>');
    expect(keys).toContain('000000000001-000000000001-00000000.tseg');
    expect(container.querySelector('i')).toBeNull();
  });

  it('asks before removing the passphrase, and says what it means', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd.startsWith('plugin:event')) return 1;
      if (cmd === 'sync_config_get' || cmd === 'sync_config_set') {
        const removing = cmd === 'sync_config_set';
        return { folder: '/shared', hub: null, sealed: !removing };
      }
      return cmd === 'sync_status' ? STATUS : null;
    });
    render(SyncView, { onerror: () => {}, onsynced: () => {} });
    const opener = await screen.findByTestId('sync-unseal');
    opener.focus();
    await fireEvent.click(opener);
    const dialog = screen.getByTestId('sync-unseal-confirm');
    expect(dialog.textContent).toContain('anyone who can write to the folder');
    // Focus moves into the question, on the answer that changes nothing, and back after.
    expect(document.activeElement).toBe(screen.getByTestId('sync-unseal-keep'));
    await fireEvent.click(screen.getByTestId('sync-unseal-keep'));
    expect(screen.queryByTestId('sync-unseal-confirm')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(opener));
    // Escape answers it the same way.
    await fireEvent.click(opener);
    await fireEvent.keyDown(screen.getByTestId('sync-unseal-keep'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('sync-unseal-confirm')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
    expect(calls.some(([c]) => c === 'sync_config_set')).toBe(false);
    await fireEvent.click(screen.getByTestId('sync-unseal'));
    await fireEvent.click(screen.getByTestId('sync-unseal-remove'));
    await waitFor(() => expect(calls.some(([c]) => c === 'sync_config_set')).toBe(true));
    const set = calls.find(([c]) => c === 'sync_config_set')?.[1] as { input: { passphrase: string } };
    expect(set.input.passphrase).toBe('');
    await waitFor(() => expect(screen.getByText(/not sealed/)).toBeTruthy());
  });

  it('saves the passphrase without showing it, and syncs now', async () => {
    const calls: [string, unknown][] = [];
    mockCore(calls);
    let synced = 0;
    render(SyncView, { onerror: () => {}, onsynced: () => synced++ });
    await screen.findByTestId('sync-device');
    await fireEvent.input(screen.getByTestId('sync-passphrase'), { target: { value: 'river stone lantern' } });
    await fireEvent.click(screen.getByTestId('sync-save'));
    await waitFor(() => expect(calls.some(([c]) => c === 'sync_config_set')).toBe(true));
    const set = calls.find(([c]) => c === 'sync_config_set')?.[1] as { input: { passphrase: string } };
    expect(set.input.passphrase).toBe('river stone lantern');
    await waitFor(() => expect(screen.getByText('Change files are sealed with the team passphrase.')).toBeTruthy());
    expect((screen.getByTestId('sync-passphrase') as HTMLInputElement).value).toBe('');
    await fireEvent.click(screen.getByTestId('sync-now'));
    const report = await screen.findByTestId('sync-report');
    expect(report.textContent).toContain('applied 7');
    expect(report.textContent).not.toMatch(/folder:/);
    expect(report.textContent).toContain('half-written');
    expect(report.textContent).toContain('9,990 more files like these');
    expect(synced).toBe(1);
  });

  it('asks before leaving the team, and keeps syncing when told to', async () => {
    const calls: [string, unknown][] = [];
    mockCore(calls);
    render(SyncView, { onerror: () => {}, onsynced: () => {} });
    await screen.findByTestId('sync-device');
    await fireEvent.input(screen.getByTestId('sync-folder'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('sync-save'));
    const ask = await screen.findByTestId('sync-leave-confirm');
    expect(ask.textContent).toContain('stops syncing with the shared folder /shared');
    expect(calls.some(([c]) => c === 'sync_config_set')).toBe(false);
    await fireEvent.click(screen.getByTestId('sync-leave-keep'));
    expect(screen.queryByTestId('sync-leave-confirm')).toBeNull();
    expect((screen.getByTestId('sync-folder') as HTMLInputElement).value).toBe('/shared');
    await fireEvent.input(screen.getByTestId('sync-folder'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('sync-save'));
    await fireEvent.click(await screen.findByTestId('sync-leave-yes'));
    await waitFor(() => expect(calls.some(([c]) => c === 'sync_config_set')).toBe(true));
    const set = calls.find(([c]) => c === 'sync_config_set')?.[1] as { input: { folder: string } };
    expect(set.input.folder).toBe('');
  });

  it('names this laptop, and shows other laptops by the names they chose', async () => {
    const calls: [string, unknown][] = [];
    let named: string | null = null;
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd.startsWith('plugin:event')) return 1;
      if (cmd === 'sync_config_get') return { folder: '/shared', hub: null, sealed: true };
      if (cmd === 'sync_name_set') return (named = (args as { name: string }).name.trim());
      if (cmd === 'sync_status') {
        return { ...STATUS, name: named, devices: [{ ...STATUS.devices[0], name: 'Kisumu office' }] };
      }
      return null;
    });
    render(SyncView, { onerror: () => {}, onsynced: () => {} });
    await screen.findByTestId('sync-device');
    expect(screen.getByTestId('sync-devices').textContent).toContain('Kisumu office');
    await fireEvent.input(screen.getByTestId('sync-name'), { target: { value: " Aminata's laptop " } });
    await fireEvent.click(screen.getByTestId('sync-name-save'));
    await waitFor(() => expect(screen.getByTestId('sync-device').textContent).toContain("“Aminata's laptop”"));
    expect((screen.getByTestId('sync-name') as HTMLInputElement).value).toBe("Aminata's laptop");
  });

  it('says why Sync now is disabled until a folder or hub is saved', async () => {
    mockIPC((cmd) => {
      if (cmd.startsWith('plugin:event')) return 1;
      if (cmd === 'sync_config_get') return { folder: null, hub: null, sealed: false };
      if (cmd === 'sync_status') return STATUS;
      return null;
    });
    render(SyncView, { onerror: () => {}, onsynced: () => {} });
    const why = await screen.findByTestId('sync-now-why');
    expect(why.textContent).toContain('Save a shared folder or a hub first');
    expect((screen.getByTestId('sync-now') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('sync-now').getAttribute('aria-describedby')).toBe('sync-now-why');
  });
});
