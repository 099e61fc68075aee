// `start` (npm start): the desk on this PC, on demo data the first time. Electron when its binary is
// here; otherwise the web host on 127.0.0.1 and Chromium in an app window. Says where the data
// folder is and the demo PINs (stderr); the launch link is the one line on stdout.
//   --web          the web host even when Electron is present
//   --no-browser   print the link only (open it in a browser yourself)
//   --kiosk        the member self-service kiosk (docs/kiosk.md): kiosk page and KioskApi only;
//                  Chromium --kiosk, or Electron's fullscreen kiosk window
//   --data DIR     the data folder (its desk.db is used as it is; a folder without one gets demo data)
//   --no-demo      a folder without desk.db is set up from the UI (docs/setup.md) instead of seeded
//   --port N       a fixed port (a free one otherwise)
//   --prepare      prepare the data folder, print the JSON summary and exit (IT, scripts, tests)
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { createTranslator, type Translator } from '../../i18n';
import { openAppWindow, findChromium } from '../../host/browser';
import { electronBinary } from '../../host/electronBinary';
import { launchKiosk } from '../../host/kioskLaunch';
import { launchDesk, RENDERER_DIR, REPO_ROOT } from '../../host/launch';
import { ensureRenderer } from '../rendererBuild';
import { defaultDataDir, isFreshFolder, prepareDataFolder } from '../../runtime/dataFolder';
import { DEMO_STAFF } from '../../terminal/demo/catalog';
import { check, intArg, type Flags } from '../args';
import { startLang } from '../startLang.mjs';
import type { CliIo } from '../command';

/** Where the data is and how to try it; the kiosk has no staff and no sign-in, so no PINs are printed for it. */
function sayWhere(tr: Translator, log: (line: string) => void, prepared: ReturnType<typeof prepareDataFolder>, kiosk: boolean): void {
  log(tr.t('start.dataFolder', { dir: prepared.dir }));
  log(prepared.seeded ? tr.t('start.seeded', { members: prepared.seeded.members }) : tr.t('start.existing', { db: prepared.dbPath }));
  if (kiosk) return;
  log(tr.t('start.pins', { pins: DEMO_STAFF.map((s) => tr.t('start.pin', { name: s.name, role: tr.t(`ui.top.role.${s.role}`), pin: s.pin })).join(tr.lang === 'en' ? ', ' : '；') }));
  // The desk holds only a hash of each number: the demo's numbers are said here, once, for trying it out.
  const sample = prepared.seeded?.sample.find((s) => s.note !== 'revoked');
  if (sample) log(tr.t('start.member', { cardNo: sample.cardNo, phone: sample.phone }));
}

/** Resolves on Ctrl-C / SIGTERM (or when `also` settles), whichever comes first. */
function untilStopped(also?: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    void also?.then(done, done);
  });
}

/** A browser that exits sooner than this never showed a desk window. */
const EARLY_EXIT_MS = 3_000;

export async function startCommand(flags: Flags, given: Translator, io: CliIo): Promise<object | undefined> {
  // Without --lang the lines are in the system's language (zh-CN when it is none of the three).
  const tr = flags.lang === undefined ? createTranslator(startLang([], process.env)) : given;
  const kiosk = flags.kiosk === true;
  const dir = check(z.string().min(1).default(defaultDataDir()), flags.data, 'data');
  const port = flags.port === undefined ? 0 : check(intArg(65_535), flags.port, 'port');
  const log = io.err;
  const built = (ms: number) => log(tr.t('start.rendererBuilt', { seconds: (ms / 1000).toFixed(1) }));

  if (flags.prepare === true) {
    const prepared = prepareDataFolder(dir, io.now());
    sayWhere(tr, log, prepared, kiosk);
    return { dataDir: prepared.dir, db: prepared.dbPath, seeded: prepared.seeded !== null, sample: prepared.seeded?.sample ?? null };
  }

  const noDemo = flags['no-demo'] === true && flags.kiosk !== true;
  const electron = flags.web === true ? null : electronBinary(REPO_ROOT);
  if (electron) {
    if (noDemo && isFreshFolder(dir)) log(tr.t('start.setup', { dir }));
    else sayWhere(tr, log, prepareDataFolder(dir, io.now()), kiosk);
    await ensureRenderer(REPO_ROOT, RENDERER_DIR, built);
    // Built with the CLI bundle that runs this (src/cli/build.mjs), so as fresh as it.
    const main = join(REPO_ROOT, 'dist', 'electron', 'main.mjs');
    const env = { ...process.env, LOYALTY_DESK_DATA: dir, ...(noDemo ? { LOYALTY_DESK_NO_DEMO: '1' } : {}) };
    const child = spawn(electron, [main, ...(flags.kiosk === true ? ['--kiosk'] : [])], { stdio: 'inherit', env });
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return undefined;
  }

  await ensureRenderer(REPO_ROOT, RENDERER_DIR, built);
  const launchOptions = {
    dataDir: dir,
    port,
    now: io.now(),
    onInternal: (err: unknown, ref?: string) => log(`${ref ? `[${ref}] ` : ''}${err instanceof Error && err.stack ? err.stack : String(err)}`),
  };
  const desk = flags.kiosk === true ? await launchKiosk(launchOptions) : await launchDesk({ ...launchOptions, demo: !noDemo });
  if ('settingUp' in desk && desk.settingUp) log(tr.t('start.setup', { dir }));
  else sayWhere(tr, log, desk.prepared, kiosk);
  const url = desk.host.launchUrl();
  io.out(url);

  let stopped: Promise<void>;
  const browser = flags['no-browser'] === true ? null : findChromium();
  if (browser) {
    const win = openAppWindow(browser, url, { kiosk: flags.kiosk === true });
    const early = await Promise.race([win.exited.then((code) => ({ code })), new Promise<null>((r) => setTimeout(() => r(null), EARLY_EXIT_MS))]);
    if (early) {
      // No window came up (no display, a broken browser): the desk keeps serving the link instead of vanishing.
      log(tr.t('start.browserClosed', { browser, code: String(early.code) }));
      stopped = untilStopped();
    } else {
      // Closing the desk window ends the desk; Ctrl-C closes the window too.
      stopped = untilStopped(win.exited).then(() => win.close());
    }
  } else {
    if (flags['no-browser'] !== true) log(tr.t('start.noBrowser'));
    stopped = untilStopped();
  }
  await stopped;
  await desk.close();
  return undefined;
}
