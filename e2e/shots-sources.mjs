// Screenshots of the Sources view after importing a WhatsApp chat, a Telegram export and a
// Discourse folder with a cut file, for a person to look at: English, French and Spanish,
// at 1440×900 and 1024×640. Not a test: `xvfb-run -a --server-args="-screen 0
// 1600x1000x24" node e2e/shots-sources.mjs` writes .e2e/shots/sources-*.png.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
const TEND = join(TARGET, 'debug/tend');
const APP = join(TARGET, 'debug/tend-app');
const BASE = 'http://127.0.0.1:4448';
const OUT = join(root, '.e2e', 'shots');
const dir = mkdtempSync(join(tmpdir(), 'tend-shots-'));
const db = join(dir, 'tend.db');
const forum = join(dir, 'forum');

mkdirSync(OUT, { recursive: true });
mkdirSync(forum);
execFileSync(TEND, ['--db', db, 'demo', '--members', '120', '--seed', '3']);
const fixtures = join(root, '../shared/corpus/discourse/discourse_api-fixtures');
copyFileSync(join(fixtures, 'topic.json'), join(forum, 'topic.json'));
writeFileSync(join(forum, 'latest.json'), readFileSync(join(fixtures, 'latest.json')).subarray(0, 200));
const chat = join(root, 'tests/fixtures/chats/WhatsApp Chat - Field team.txt');
// Imported once before: the app's import of the same chat says so.
execFileSync(TEND, ['--db', db, 'import', chat]);

const driver = spawn('tauri-driver', ['--port', '4448', '--native-port', '4449'], { env: { ...process.env, TEND_DB: db }, stdio: 'ignore' });
try {
  await waitFor('tauri-driver', async () => (await fetch(`${BASE}/status`)).ok, 20000);
  const s = await Session.start(BASE, APP, ['--db', db]);
  await s.waitFind('[data-testid="member-count"]', 30000);
  await s.click(await s.find('[data-testid="nav-sources"]'));
  const input = await s.waitFind('[data-testid="import-path"]');
  const shoot = async (tag, sizes) => {
    for (const [w, h] of sizes) {
      await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
      for (const lang of ['en', 'fr', 'es']) {
        await s.execute(`const el = document.querySelector('[data-testid="locale"]'); el.value = '${lang}'; el.dispatchEvent(new Event('change'));`);
        await new Promise((r) => setTimeout(r, 500));
        await s.execute('document.querySelector(\'[data-testid="import-outcomes"]\')?.scrollIntoView()');
        await new Promise((r) => setTimeout(r, 300));
        writeFileSync(join(OUT, `sources-${tag}-${lang}-${w}x${h}.png`), await s.screenshot());
      }
    }
  };
  for (const [tag, path, sizes] of [['chat', chat, [[1440, 900]]], ['forum', forum, [[1440, 900], [1024, 640]]]]) {
    await s.clear(input);
    await s.type(input, path);
    await s.click(await s.find('[data-testid="import-run"]'));
    // The demo asks before taking in someone's own export: say yes when it does.
    await waitFor('the result', async () => {
      const ask = await s.findAll('[data-testid="import-demo-yes"]');
      if (ask.length > 0) await s.click(ask[0]);
      const shown = await s.findAll('[data-testid="import-outcomes"]');
      return shown.length > 0 && (await s.text(shown[0])).includes(path);
    }, 60000);
    await shoot(tag, sizes);
  }
  await s.end();
} finally {
  driver.kill();
}
