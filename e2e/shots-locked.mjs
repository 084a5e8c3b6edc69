// Screenshots of the banner a save gets while another program holds the database, in three
// languages at two sizes. Not a test: `xvfb-run -a --server-args="-screen 0 1600x1000x24"
// node e2e/shots-locked.mjs` writes .e2e/shots/locked-*.png (needs sqlite3).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEND, pause, shoot, withApp } from './shots-lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tend-shots-locked-'));
const db = join(dir, 'tend.db');
execFileSync(TEND, ['--db', db, 'demo']);
const someone = JSON.parse(execFileSync(TEND, ['--db', db, 'members', 'list', '--json'], { encoding: 'utf8' }))[5];

await withApp(4490, db, async (s) => {
  await s.click(await s.waitFind(`[data-testid="member-row"][data-id="${someone.id}"] button`, 30000));
  await s.waitFind('[data-testid="role-select"]');
  const holder = spawn('sqlite3', [db], { stdio: ['pipe', 'ignore', 'inherit'] });
  holder.stdin.write('BEGIN IMMEDIATE;\nCREATE TABLE IF NOT EXISTS shots_lock (x);\n');
  await pause(500);
  await s.click(await s.find('[data-testid="role-select"] option[value="leader"]'));
  await s.click(await s.find('[data-testid="save"]'));
  await s.waitFind('[data-testid="error"]', 20000);
  await shoot(s, 'locked');
  holder.stdin.end('ROLLBACK;\n.quit\n');
});
