// Screenshots of a real export, for a person to look at: the houstondatavis Slack (2015–16,
// before threads) imported from the Sources view into a fresh database (the naming
// question), then Health over the export's months, Today and a kit, in three languages at
// two sizes. Not a test: `xvfb-run -a --server-args="-screen 0 1600x1000x24" node
// e2e/shots-real.mjs` writes .e2e/shots/real-*.png.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pause, shoot, withApp } from './shots-lib.mjs';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'tend-shots-real-'));
const db = join(dir, 'tend.db');

async function setDay(s, id, day, month, year) {
  const d = await s.waitFind(`[data-testid="${id}-day"]`);
  await s.clear(d);
  await s.type(d, day);
  const y = await s.find(`[data-testid="${id}-year"]`);
  await s.clear(y);
  await s.type(y, year);
  await s.click(await s.find(`[data-testid="${id}-month"] option[value="${month}"]`));
}

await withApp(4490, db, async (s) => {
  await s.click(await s.find('[data-testid="nav-sources"]'));
  await s.type(await s.waitFind('[data-testid="import-path"]'), join(root, '../shared/corpus/slack/houstondatavis-slack-export'));
  await s.click(await s.find('[data-testid="import-run"]'));
  await s.waitFind('[data-testid="import-community-name"]', 60000);
  await shoot(s, 'real-sources');
  await s.click(await s.find('[data-testid="import-community-keep"]'));
  await pause(1000);
  await s.click(await s.find('[data-testid="nav-health"]'));
  await s.click(await s.waitFind('[data-testid="health-period"] option[value="range"]', 30000));
  await setDay(s, 'health-from', '1', '6', '2015');
  await setDay(s, 'health-to', '31', '7', '2016');
  await pause(1500);
  await shoot(s, 'real-health', () => s.execute('document.querySelector(".health").scrollTop = 0'));
  await shoot(s, 'real-health-charts', () => s.execute('document.querySelector(\'[data-testid="chart-pyramid"]\')?.scrollIntoView()'));
  await s.click(await s.find('[data-testid="nav-guide"]'));
  await pause(1500);
  await shoot(s, 'real-guide');
  await s.click(await s.find('[data-testid="nav-kits"]'));
  await pause(1500);
  await shoot(s, 'real-kits');
}, '[data-testid="community-start"]');
