// `benchUi()` for `npm run bench`: the web host's cold start to the first interactive screen, scan to
// member card in the real UI (Chromium), and the renderer bundle's size. Prints nothing; bounded loops;
// medians and p99 from sorted samples. Needs /usr/bin/chromium (else says it skipped).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { privateJwkSchema } from '../scan/hqKeys';
import { mintCardCode } from '../scan/mintCode';
import { deskConfigSchema, writeConfig } from '../terminal/operations/config';
import { HQ_KEY_FILE, seedNewDatabase } from '../runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../terminal/demo/catalog';
import { findChromium } from '../host/browser';
import { launchDesk, RENDERER_DIR, REPO_ROOT } from '../host/launch';
import { ensureRenderer } from '../cli/rendererBuild';
import { scanWedge } from './wedgeScanner';

const COLD_STARTS = 5;
const PROCESS_STARTS = 3;
const PROCESS_START_TIMEOUT_MS = 20_000;
const SCANS = 20;
const MAX_BENCH_MS = 60_000;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function stats(samples: number[]): { n: number; p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50Ms: r(at(0.5)), p99Ms: r(at(0.99)), maxMs: r(sorted[sorted.length - 1] ?? Number.NaN) };
}

function bundleSize(): Record<string, number> {
  const assets = join(RENDERER_DIR, 'assets');
  const out = { jsBytes: 0, jsGzipBytes: 0, cssBytes: 0, workerBytes: 0 };
  for (const name of readdirSync(assets)) {
    const file = join(assets, name);
    const bytes = statSync(file).size;
    if (name.startsWith('decodeWorker')) out.workerBytes += bytes;
    else if (name.endsWith('.js')) {
      out.jsBytes += bytes;
      out.jsGzipBytes += gzipSync(readFileSync(file)).length;
    } else if (name.endsWith('.css')) out.cssBytes += bytes;
  }
  return out;
}

/** `loyalty-desk start --no-browser` as a new process until its link is printed, then the page to the PIN pad. */
async function processColdStart(page: Page, dataDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'src', 'cli', 'bin.mjs'), 'start', '--web', '--no-browser', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('start printed no link')), PROCESS_START_TIMEOUT_MS);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.on('exit', () => reject(new Error('start exited')));
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid="pin-submit"]');
    return performance.now() - t0;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** From the scan (the Enter ending a wedge burst) to the member card painted: the UI's own User Timing marks. */
async function scanToCard(page: Page, code: string): Promise<number> {
  await page.evaluate(() => performance.clearMarks());
  await scanWedge(page, code);
  await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
  const t = await page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        // The mark is set in an effect, after paint has been scheduled: one frame later it is there.
        requestAnimationFrame(() => {
          const scan = performance.getEntriesByName('ld:scan', 'mark')[0];
          const card = performance.getEntriesByName('ld:member-card', 'mark')[0];
          resolve(scan && card ? card.startTime - scan.startTime : Number.NaN);
        }),
      ),
  );
  await page.click('[data-testid="nav-next"]');
  await page.waitForSelector('[data-screen="scan"]');
  return t;
}

export async function benchUi(): Promise<Record<string, unknown>> {
  const browserBin = findChromium();
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  const bundle = bundleSize();
  if (!browserBin) return { skipped: 'no Chromium found', bundle };

  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-ui-'));
  const deadline = Date.now() + MAX_BENCH_MS;
  try {
    const dataDir = join(dir, 'data');
    seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: 2_000, seed: 'bench-ui', now: Date.now() });
    // The shipped scanner settings: scans arrive timed as a USB scanner types (wedgeScanner.ts).
    writeConfig(dataDir, deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }));
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: browserBin, headless: true, args: CHROMIUM_FLAGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const processStart: number[] = [];
      for (let i = 0; i < PROCESS_STARTS && Date.now() < deadline; i++) processStart.push(await processColdStart(page, dataDir));
      const hostStart: number[] = [];
      const firstScreen: number[] = [];
      for (let i = 0; i < COLD_STARTS && Date.now() < deadline; i++) {
        const t0 = performance.now();
        const desk = await launchDesk({ dataDir, printerUri: null });
        const t1 = performance.now();
        await page.goto(desk.host.launchUrl());
        await page.waitForSelector('[data-testid="pin-submit"]');
        firstScreen.push(performance.now() - t0);
        hostStart.push(t1 - t0);
        if (i < COLD_STARTS - 1) await desk.close();
        else {
          // The last one stays up for the scan loop.
          await page.keyboard.type('1234');
          await page.keyboard.press('Enter');
          await page.waitForSelector('[data-screen="scan"]');
          const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(dataDir, HQ_KEY_FILE), 'utf8')));
          const members = desk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT ?").all(SCANS) as { id: string; card_serial: number }[];
          const scans: number[] = [];
          for (const m of members) {
            if (Date.now() > deadline) break;
            scans.push(await scanToCard(page, mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 })));
          }
          await desk.close();
          return {
            processColdStartToFirstScreen: stats(processStart),
            hostStart: stats(hostStart),
            coldStartToFirstScreen: stats(firstScreen),
            scanToMemberCard: stats(scans.filter((s) => Number.isFinite(s))),
            bundle,
            note: 'process cold start: node + the built CLI + `start --web --no-browser` until the link, then the page to the PIN pad; cold start: launchDesk (open db, print loop, fastify listen) + page load to the PIN pad, browser already running; scan: the UI User Timing marks, ld:scan (burst detected) to ld:member-card (card rendered)',
          };
        }
      }
      return { hostStart: stats(hostStart), coldStartToFirstScreen: stats(firstScreen), bundle, note: 'time budget ran out before the scan loop' };
    } finally {
      await context.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
