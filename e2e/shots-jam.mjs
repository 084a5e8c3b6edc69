// Screenshots of the Sync view after a stranger jammed the shared folder with 500 junk
// files named as a laptop's next changes, with a key conflict kept: English, French and
// Spanish at 1440×900 and 1024×640. Not a test: `xvfb-run -a --server-args="-screen 0
// 1600x1000x24" node e2e/shots-jam.mjs` writes .e2e/shots/jam-*.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEND, pause, shoot, withApp } from './shots-lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tend-jam-'));
const shared = join(dir, 'shared');
mkdirSync(shared);
const [a, b] = [join(dir, 'a.db'), join(dir, 'b.db')];
const env = { ...process.env, TEND_NO_KEYRING: '1' };
execFileSync(TEND, ['--db', a, 'demo', '--members', '40'], { env });
execFileSync(TEND, ['--db', a, 'sync', '--folder', shared], { env });
execFileSync(TEND, ['--db', b, 'sync', '--folder', shared], { env });
const device = readdirSync(shared).find((d) => !d.startsWith('.') && readdirSync(join(shared, d)).length > 1) ?? readdirSync(shared)[0];
const status = JSON.parse(execFileSync(TEND, ['--db', a, 'sync', 'status', '--json'], { env }).toString());
const next = status.changes + 1;
const pad = (n) => String(n).padStart(12, '0');
for (let i = 0; i < 500; i++) {
  writeFileSync(join(shared, device, `${pad(next)}-${pad(next + (i % 3))}-${i.toString(16).padStart(8, '0')}.tseg`), 'x');
}
execFileSync('sqlite3', [b, `INSERT INTO sync_key_conflicts VALUES ('${device}', 'AAAA', '${device}/000000000001-000000000009-7e7e7e7e.tseg', '2026-12-08T03:00:00Z')`]);

await withApp(4460, b, async (s) => {
  await s.click(await s.find('[data-testid="nav-sync"]'));
  await s.type(await s.waitFind('[data-testid="sync-folder"]'), shared);
  await s.click(await s.find('[data-testid="sync-save"]'));
  await s.click(await s.waitFind('[data-testid="sync-now"]:not([disabled])'));
  await s.waitFind('[data-testid="sync-report"]', 60000);
  await pause(1000);
  await shoot(s, 'jam', async () => {
    await s.execute('document.querySelector(\'[data-testid="sync-key-conflicts"]\')?.scrollIntoView()');
    await pause(300);
  });
}, '[data-testid="nav-sync"]');
