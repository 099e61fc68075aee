// `benchKiosk()` for `npm run bench`: scan → member page shown in the real kiosk (Chromium against the
// kiosk host), target < 300 ms; memory after 1,000 scans (the kiosk host's RSS, the page's JS heap),
// target no growth beyond 20 MB. The host runs as its own process (`loyalty-desk start --kiosk`), as
// in a store, so its memory is measured alone, without this process and Playwright's client beside
// it. Prints nothing; bounded loops; medians/p99 from sorted samples. Needs Chromium and Linux /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRaw } from '../store/open';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { parsePrivateJwk } from '../scan/hqKeys';
import { mintCardCode } from '../scan/mintCode';
import { deskConfigSchema, writeConfig } from '../terminal/operations/config';
import { HQ_KEY_FILE, seedNewDatabase } from '../runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../terminal/demo/catalog';
import { findChromium } from '../host/browser';
import { KIOSK_CONFIG_FILE } from '../runtime/kioskConfig';
import { RENDERER_DIR, REPO_ROOT } from '../host/launch';
import { ensureRenderer } from '../cli/rendererBuild';
import { scanWedge } from './wedgeScanner';

const SCANS = 1_000;
const WARMUP = 30;
const MEMBERS = 50;
const MAX_BENCH_MS = 420_000;
const MB = 1024 * 1024;
const MAX_MISSES = 50;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function stats(samples: number[]): { n: number; p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50Ms: r(at(0.5)), p99Ms: r(at(0.99)), maxMs: r(sorted[sorted.length - 1] ?? Number.NaN) };
}

/** Scan → the page painted: the kiosk's own User Timing marks (ld:kiosk-scan at the burst's Enter, ld:kiosk-page a frame after the page rendered). */
async function scanToPage(page: Page, code: string): Promise<number> {
  await page.evaluate(() => performance.clearMarks('ld:kiosk-page'));
  await scanWedge(page, code);
  try {
    await page.waitForFunction(() => performance.getEntriesByName('ld:kiosk-page', 'mark').length > 0, undefined, { timeout: 5_000 });
  } catch {
    // A scan the kiosk did not take (a cut burst): counted as a miss, not a figure.
    return Number.NaN;
  }
  return page.evaluate(() => {
    const scan = performance.getEntriesByName('ld:kiosk-scan', 'mark')[0];
    const shown = performance.getEntriesByName('ld:kiosk-page', 'mark')[0];
    return scan && shown ? shown.startTime - scan.startTime : Number.NaN;
  });
}

async function pageHeapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return Math.round((usedSize / MB) * 10) / 10;
}

/** Resident memory of another process, from /proc (Linux). */
function rssMb(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/** `loyalty-desk start --kiosk --web --no-browser` on the folder; resolves with its one-time link. */
function startKioskHost(dataDir: string, deadline: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'src', 'cli', 'bin.mjs'), 'start', '--kiosk', '--web', '--no-browser', '--data', dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`the kiosk host printed no link within the time limit: ${err.slice(-500)}`)), Math.max(1_000, Math.min(60_000, deadline - Date.now())));
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\/launch\?token=\S+/.exec(out)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.once('exit', (code) => fail(new Error(`the kiosk host ended (code ${code}) before printing its link: ${err.slice(-500)}`)));
  });
}

function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function benchKiosk(): Promise<Record<string, unknown>> {
  const browserBin = findChromium();
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  if (!browserBin) return { skipped: 'no Chromium found' };
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-kiosk-'));
  const deadline = Date.now() + MAX_BENCH_MS;
  try {
    const dataDir = join(dir, 'data');
    seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: 500, seed: 'bench-kiosk', now: Date.now() });
    writeConfig(dataDir, {
      ...deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }),
    });
    // A long idle timeout: the bench, not the attract screen, decides when a page is replaced.
    writeFileSync(join(dataDir, KIOSK_CONFIG_FILE), JSON.stringify({ idleSeconds: 600 }));
    const hq = parsePrivateJwk(readFileSync(join(dataDir, HQ_KEY_FILE), 'utf8'));
    if (!hq) return { skipped: 'no demo HQ key in the bench folder' };
    const ro = openRaw(join(dataDir, 'desk.db'), { readonly: true });
    const members = ro.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT ?").all(MEMBERS) as { id: string; card_serial: number }[];
    ro.close();
    const iat = Math.floor(Date.now() / 1000) - 60;
    const codes = members.map((m) => mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat }));

    const host = await startKioskHost(dataDir, deadline);
    const pid = host.child.pid!;
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: browserBin, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1080, height: 1920 } });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      await page.goto(host.url);
      await page.waitForSelector('[data-screen="attract"]');

      for (let i = 0; i < WARMUP && Date.now() < deadline; i++) await scanToPage(page, codes[i % codes.length]!);
      const hostBefore = rssMb(pid);
      const pageBefore = await pageHeapMb(cdp);
      const samples: number[] = [];
      let misses = 0;
      for (let i = 0; i < SCANS && Date.now() < deadline && misses < MAX_MISSES; i++) {
        const t = await scanToPage(page, codes[i % codes.length]!);
        if (Number.isFinite(t)) samples.push(t);
        else misses++;
      }
      const hostAfter = rssMb(pid);
      const pageAfter = await pageHeapMb(cdp);
      return {
        scanToPage: stats(samples),
        targetMs: 300,
        scans: samples.length,
        missedBursts: misses,
        memory: {
          host: { pid, rssBeforeMb: hostBefore, rssAfterMb: hostAfter, rssGrowthMb: hostBefore === null || hostAfter === null ? null : Math.round((hostAfter - hostBefore) * 10) / 10 },
          page: { beforeMb: pageBefore, afterMb: pageAfter, growthMb: Math.round((pageAfter - pageBefore) * 10) / 10 },
          targetGrowthMb: 20,
        },
        note: 'Chromium headless against the kiosk host process (500 demo members, 50 rotated static card codes, each scan replacing the page); scan: ld:kiosk-scan (burst Enter) to ld:kiosk-page (a frame after the page rendered); host memory is the RSS of the kiosk host process (`loyalty-desk start --kiosk --web`) after a warm-up, from /proc; page heap after a CDP garbage collection',
      };
    } finally {
      await context.close();
      await stopHost(host.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
