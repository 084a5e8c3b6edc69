// `make bench-ui`: each view's time from a click to its content in the real window, on the
// demo community and on the million-activity benchmark database, printed beside the aims
// (300 ms on the demo, 1 s on the big one). A benchmark, not a test: nothing is asserted.
// Uses the release build when there is one (`make bench-ui` builds it), else the debug one.
// BIG_DB=path reuses a benchmark database instead of making one with `tend bench health`.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
const PROFILE = existsSync(join(TARGET, 'release/tend-app')) ? 'release' : 'debug';
const TEND = join(TARGET, PROFILE, 'tend');
const APP = join(TARGET, PROFILE, 'tend-app');
const BASE = 'http://127.0.0.1:4460';
const dir = mkdtempSync(join(tmpdir(), 'tend-bench-ui-'));

/** The views, each with what shows once its content is there. */
const VIEWS = [
  ['guide', '[data-testid="today-group"]'],
  ['kits', '[data-testid="kit-kind-member"]'],
  ['health', '[data-testid="card-active"]'],
  ['sources', '[data-testid="import-path"]'],
  ['sync', '[data-testid="sync-device"]'],
  ['members', '[data-testid="member-row"]'],
];

function demoDb() {
  const db = join(dir, 'demo.db');
  execFileSync(TEND, ['--db', db, 'demo', '--members', '300', '--seed', '7']);
  return db;
}

/** The million-activity database `tend bench health` leaves behind (its first line names it). */
function bigDb() {
  if (process.env.BIG_DB) return process.env.BIG_DB;
  const out = execFileSync(TEND, ['bench', 'health'], { encoding: 'utf8' });
  const path = /\(([^)]+\.db)\)/.exec(out.split('\n')[0])?.[1];
  if (!path) throw new Error(`tend bench health named no database: ${out.slice(0, 200)}`);
  return path;
}

async function time(s, ready) {
  const t0 = Date.now();
  await s.waitFind(ready, 120000);
  return Date.now() - t0;
}

async function measure(label, db, aim) {
  const driver = spawn('tauri-driver', ['--port', '4460', '--native-port', '4461'], { stdio: 'ignore' });
  try {
    await waitFor('tauri-driver', async () => (await fetch(`${BASE}/status`)).ok, 20000);
    const t0 = Date.now();
    const s = await Session.start(BASE, APP, ['--db', db]);
    const opened = await time(s, '[data-testid="member-row"]');
    console.log(`${label.padEnd(8)} open     ${String(Date.now() - t0).padStart(6)} ms (window and roster; roster alone ${opened} ms)`);
    for (const round of ['first', 'again']) {
      for (const [view, ready] of VIEWS) {
        const t = Date.now();
        await s.click(await s.find(`[data-testid="nav-${view}"]`));
        await s.waitFind(ready, 120000);
        const ms = Date.now() - t;
        console.log(`${label.padEnd(8)} ${view.padEnd(8)} ${String(ms).padStart(6)} ms  ${round.padEnd(5)}  aim ${aim} ms  ${ms <= aim ? 'ok' : 'SLOWER'}`);
      }
    }
    await s.end();
  } finally {
    driver.kill();
    await new Promise((r) => setTimeout(r, 500));
  }
}

console.log(`the ${PROFILE} build, ${APP}`);
await measure('demo', demoDb(), 300);
await measure('1M', bigDb(), 1000);
