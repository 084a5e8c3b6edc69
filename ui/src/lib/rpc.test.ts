import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { rpc, toUiError } from './rpc';

afterEach(() => clearMocks());

describe('rpc', () => {
  it('keeps the words of an error for the UI to say, and only well-formed ones', () => {
    const words = { key: 'import.error.empty', values: { path: '/d/a.csv' } };
    expect(toUiError({ code: 'not_an_export', message: 'm', words })).toEqual({ code: 'not_an_export', message: 'm', words });
    expect(toUiError({ code: 'not_an_export', message: 'm', words: { key: 3, values: {} } })).toEqual({ code: 'not_an_export', message: 'm' });
    expect(toUiError({ code: 'io', message: 'm', words: { key: 'k', values: { path: 1 } } })).toEqual({ code: 'io', message: 'm' });
  });

  it('sends each command its named arguments', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'members_list' ? [] : null;
    });
    await rpc.membersList({ role: 'champion' });
    await rpc.memberUpdate('abc', { role: 'leader' });
    expect(calls).toEqual([
      ['members_list', { filter: { role: 'champion' } }],
      ['member_update', { id: 'abc', patch: { role: 'leader' } }],
    ]);
  });

  it('passes the core error through as {code, message}', async () => {
    mockIPC(() => {
      throw { code: 'not_found', message: "no member with id 'x'" };
    });
    await expect(rpc.memberGet('x')).rejects.toEqual({ code: 'not_found', message: "no member with id 'x'" });
  });

  it('turns anything else into an internal error', () => {
    expect(toUiError(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(toUiError({ code: 'made_up', message: 'x' }).code).toBe('internal');
    expect(toUiError('plain')).toEqual({ code: 'internal', message: 'plain' });
  });
});

describe('error codes', () => {
  it('knows every code the core can send', async () => {
    const { default: codes } = await import('./bindings/ErrorCode?raw');
    const fromRust = [...codes.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    for (const code of fromRust) {
      expect(toUiError({ code, message: 'x' }).code, code).toBe(code);
    }
  });
});
