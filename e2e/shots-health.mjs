// Screenshots of the Health view for a person to look at, in three languages at two sizes:
// the cards under a preset period and a two-condition segment, the spaces by purpose with
// the tag editor open, and the charts. Not a test: `xvfb-run -a --server-args="-screen 0
// 1600x1000x24" node e2e/shots-health.mjs` writes .e2e/shots/health-*.png.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEND, pause, shoot, withApp } from './shots-lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tend-shots-health-'));
const db = join(dir, 'tend.db');
execFileSync(TEND, ['--db', db, 'demo']);
execFileSync(TEND, ['--db', db, 'spaces', 'tag', 'questions', 'learn', 'feedback']);
execFileSync(TEND, ['--db', db, 'spaces', 'tag', 'field-stories', 'inspire']);
const org = JSON.parse(execFileSync(TEND, ['--db', db, 'health', '--values', 'organisation', '--json'], { encoding: 'utf8' }))[0].value;

await withApp(4480, db, async (s) => {
  await s.click(await s.find('[data-testid="nav-health"]'));
  await s.waitFind('[data-testid="card-active"]', 30000);
  await s.click(await s.find('[data-testid="health-period"] option[value="this_quarter"]'));
  await s.click(await s.find('[data-testid="segment-key"] option[value="organisation"]'));
  await s.click(await s.waitFind(`[data-testid="segment-value"] option[value="${org}"]`, 30000));
  await s.click(await s.find('[data-testid="segment-add"]'));
  await s.click(await s.find('[data-testid="segment-key"] option[value="role"]'));
  await s.click(await s.waitFind('[data-testid="segment-value"] option[value="member"]', 30000));
  await s.click(await s.find('[data-testid="segment-add"]'));
  await pause(1500);
  await shoot(s, 'health-cards', async () => {
    await s.execute('document.querySelector(\'[data-testid="card-active"] details\')?.setAttribute("open", "")');
    await s.execute('document.querySelector(".health").scrollTop = 0');
  });
  await s.click(await s.find('[data-testid="purposes-edit"]'));
  await s.waitFind('[data-testid="purposes-spaces"] li');
  await shoot(s, 'health-purposes', () => s.execute('document.querySelector(\'[data-testid="purposes-table"]\').scrollIntoView()'));
  await shoot(s, 'health-charts', () => s.execute('document.querySelector(\'[data-testid="chart-pyramid"]\').scrollIntoView()'));
});
