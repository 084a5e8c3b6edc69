// Screenshots of the first hour for a person to look at: the demo's header with its badge,
// the form that renames the community, the question before importing into the demo, and an
// empty database's "Start your community", in English, French and Spanish at 1440×900 and
// 1024×640. Not a test: `xvfb-run -a --server-args="-screen 0 1600x1000x24" node
// e2e/shots-start.mjs` writes .e2e/shots/start-*.png.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
const TEND = join(TARGET, 'debug/tend');
const APP = join(TARGET, 'debug/tend-app');
const BASE = 'http://127.0.0.1:4450';
const OUT = join(root, '.e2e', 'shots');
const dir = mkdtempSync(join(tmpdir(), 'tend-shots-'));
mkdirSync(OUT, { recursive: true });
const demoDb = join(dir, 'demo.db');
const emptyDb = join(dir, 'empty.db');
execFileSync(TEND, ['--db', demoDb, 'demo', '--members', '120', '--seed', '3']);

const SIZES = [[1440, 900], [1024, 640]];
async function shoot(s, tag, prepare) {
  for (const [w, h] of SIZES) {
    await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
    for (const lang of ['en', 'fr', 'es']) {
      await s.execute(`const el = document.querySelector('[data-testid="locale"]'); el.value = '${lang}'; el.dispatchEvent(new Event('change'));`);
      await new Promise((r) => setTimeout(r, 400));
      if (prepare) await prepare();
      writeFileSync(join(OUT, `start-${tag}-${lang}-${w}x${h}.png`), await s.screenshot());
    }
  }
}

for (const [db, tag] of [[demoDb, 'demo'], [emptyDb, 'empty']]) {
  const driver = spawn('tauri-driver', ['--port', '4450', '--native-port', '4451'], { env: { ...process.env, TEND_DB: db }, stdio: 'ignore' });
  try {
    await waitFor('tauri-driver', async () => (await fetch(`${BASE}/status`)).ok, 20000);
    const s = await Session.start(BASE, APP, ['--db', db]);
    await s.waitFind('[data-testid="member-count"]', 30000);
    await shoot(s, tag);
    const button = tag === 'demo' ? 'community-edit' : 'community-start';
    await s.click(await s.find(`[data-testid="${button}"]`));
    await s.waitFind('[data-testid="community-form"]');
    await shoot(s, `${tag}-form`);
    if (tag === 'demo') {
      await s.click(await s.find('[data-testid="nav-sources"]'));
      await s.type(await s.waitFind('[data-testid="import-path"]'), join(root, 'tests/fixtures/chats/ambiguous.txt'));
      await s.click(await s.find('[data-testid="import-run"]'));
      await s.waitFind('[data-testid="import-demo-confirm"]');
      await shoot(s, 'demo-import');
    }
    await s.end();
  } finally {
    driver.kill();
    await new Promise((r) => setTimeout(r, 500));
  }
}
