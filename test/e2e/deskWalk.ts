// One desk in Chromium for a walk: a seeded data folder, the real web host (optionally with the fake
// printer), Debian's Chromium, and the steps every walk starts with — sign in with a PIN, present a
// member by their signed card code as a wedge scanner types it.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { keepShot, SCREENS_DIR } from './shots';
import { scanWedge } from '../../src/bench/wedgeScanner';

export const SHOTS = SCREENS_DIR;

export interface Walk {
  desk: DeskLaunch;
  browser: BrowserContext;
  page: Page;
  printer: FakePrinter | null;
  /** The demo members' phone numbers by member id (the desk holds only their hashes). */
  phones: Map<string, string>;
  /** A full-page screenshot kept as a test artifact (test-output/e2e/NAME-WxH.png, shots.ts). */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWalk(name: string, options: { printer?: boolean; members?: number; viewport?: { width: number; height: number } } = {}): Promise<Walk> {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  const tmp = tempDir(`ld-e2e-${name}-`);
  const dataDir = join(tmp.dir, 'data');
  const phones = prepareDeskFolder(dataDir, { members: options.members ?? 200, seed: `e2e-${name}` });
  const printer = options.printer ? await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') }) : null;
  if (printer) allowPrinter(dataDir, printer.allow);
  const desk = await launchDesk({ dataDir, printerUri: printer?.uri ?? null });
  const browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  return {
    desk,
    browser,
    page,
    printer,
    phones,
    shot: async (shotName) => void (await keepShot(page, shotName, { fullPage: true })),
    close: async () => {
      await browser.close();
      await desk.close();
      await printer?.close();
      tmp.cleanup();
    },
  };
}

/** Opens the desk from a new launch link and signs in with the PIN typed on the keyboard. */
export async function signIn(walk: Walk, pin: string): Promise<void> {
  await walk.page.goto(walk.desk.host.launchUrl());
  await walk.page.waitForSelector('[data-screen="sign-in"]');
  await walk.page.keyboard.type(pin);
  await walk.page.keyboard.press('Enter');
  await walk.page.waitForSelector('[data-screen="scan"]');
}

/** Presents the member as a wedge scanner would type their signed card code, and waits for the card. */
export async function presentMember(walk: Walk, member: { id: string; card_serial: number }): Promise<void> {
  const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(walk.desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
  await scanWedge(walk.page, mintCardCode(hq, { mid: member.id, cs: member.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
  await walk.page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
}
