// Setup from the UI, at its real boundaries: the web host on loopback over a data folder with no
// desk.db started without demo data, and a real HQ (PGlite, and PostgreSQL when DATABASE_URL is
// set). Setup needs no PIN only while there is no identity; bad addresses and codes (generated, many)
// get typed errors in the session's language and leave no file behind; after enrollment, setup is a
// manager's and enrollment is refused.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { launchDesk, type DeskLaunch } from '../../src/host/launch';
import { readConfig } from '../../src/terminal/operations/config';
import { DEMO_STAFF } from '../../src/terminal/demo/catalog';
import { BACKENDS, seedHq, startTestHq, type TestHq } from '../hq/harness';
import { tempDir } from '../helpers/demoDb';
import { callApi, openSession } from '../host/helpers';
import { prepareDeskFolder } from '../e2e/deskFolder';

const MANAGER = DEMO_STAFF.find((s) => s.role === 'manager')!;
const CLERK = DEMO_STAFF.find((s) => s.role === 'clerk')!;
const HAN = /[\u4e00-\u9fff]/;

function rendererAt(dir: string): string {
  const r = join(dir, 'renderer');
  mkdirSync(r, { recursive: true });
  writeFileSync(join(r, 'index.html'), '<!doctype html><title>desk</title><div id="root"></div>');
  return r;
}

/** A port nothing listens on: HQ unreachable. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function badUrls(random: () => number, n: number): string[] {
  const fixed = ['', ' ', 'hq', 'hq.example.com', 'ftp://hq.example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'http://', 'https://user:pw@hq.example.com', 'http://hq.example.com/?x=1', 'http://hq.example.com/#top', 'http://h q.example.com', 'http://hq\u0000.example.com', '//hq.example.com', 'ws://127.0.0.1:1'];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789:/?#@.%-_ \u4e2d\u0000\n';
  const out = [...fixed];
  while (out.length < n) {
    const len = 1 + Math.floor(random() * 40);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    // A generated string that happens to be a plain http(s) address is not a bad one.
    if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]*)*$/i.test(s)) out.push(s);
  }
  return out;
}

function badCodes(random: () => number, n: number): string[] {
  const fixed = ['', 'ABCD', 'ABCD-EFGH', 'ABCD-EFGH-JKL', 'ABCD-EFGH-JKLMN', 'ABCDEFGHJKLM', 'ABCD_EFGH_JKLM', 'ABCD-EFGH-JKL\u4e2d', 'ABCD-EFGH-JKLM-ABCD', '\u0000'];
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789- _\u4e2d';
  const out = [...fixed];
  while (out.length < n) {
    const len = Math.floor(random() * 20);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    if (!/^\s*[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}\s*$/.test(s)) out.push(s);
  }
  return out;
}

describe.each(BACKENDS)('setup from the UI (%s)', (backend) => {
  let hq: TestHq;
  let dir: string;
  let cleanup: () => void;
  const desks: DeskLaunch[] = [];
  const newCode = async () => ((await hq.admin('POST', '/v1/admin/enrollment-codes', {})) as { code: string }).code;
  const launchEmpty = async (name: string) => {
    const dataDir = join(dir, name);
    const desk = await launchDesk({ dataDir, demo: false, rendererDir: rendererAt(join(dir, `${name}-ui`)), printerUri: null });
    desks.push(desk);
    return { desk, dataDir, cookie: await openSession(desk.host) };
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    hq = await startTestHq(backend);
    await seedHq(hq, dir, 40);
  }, 60_000);
  afterAll(async () => {
    for (const d of desks) await d.close();
    await hq.stop();
    cleanup();
  });

  it('refuses generated bad HQ addresses and codes with typed errors and leaves no file', async () => {
    const { desk, dataDir, cookie } = await launchEmpty('bad');
    expect(desk.settingUp).toBe(true);
    const call = async (method: string, input: unknown) => (await callApi(desk.host, cookie, method, input)).json as { ok: boolean; value?: any; error?: { code: string; message: string } };
    expect((await call('setup.state', {})).value).toMatchObject({ terminal: 'new', ready: false, sync: null, storeId: null });
    // Nothing but setup and the language answers before there is a terminal.
    expect((await call('staff.signIn', { pin: MANAGER.pin })).error?.code).toBe('NOT_ENROLLED');
    expect((await call('member.lookup', { cardNo: '1234567890' })).error?.code).toBe('NOT_ENROLLED');

    const random = mulberry32(19);
    const code = await newCode();
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      expect((await call('session.setLang', { lang })).ok).toBe(true);
      for (const hqUrl of badUrls(random, 40)) {
        const r = await call('setup.enroll', { hqUrl, code });
        expect(r.error?.code, hqUrl).toBe('HQ_URL_INVALID');
        expect(r.error!.message).not.toMatch(/hqUrl|code:|Invalid|undefined|\{\{/);
        if (lang !== 'en') expect(r.error!.message).toMatch(HAN);
      }
      for (const bad of badCodes(random, 40)) {
        const r = await call('setup.enroll', { hqUrl: hq.url, code: bad });
        expect(r.error?.code, JSON.stringify(bad)).toBe('ENROLLMENT_CODE_MALFORMED');
        // The sentence shows an example code; what was typed is never echoed.
        if (bad.trim().length >= 6 && !'ABCD-EFGH-JKLM'.includes(bad.trim())) expect(r.error!.message).not.toContain(bad.trim());
        if (lang !== 'en') expect(r.error!.message).toMatch(HAN);
      }
    }
    // Well formed but unknown, and HQ out of reach: HQ's own (English) words never reach the screen.
    await call('session.setLang', { lang: 'zh-CN' });
    const unknown = await call('setup.enroll', { hqUrl: hq.url, code: 'ZZZZ-ZZZZ-ZZZZ' });
    expect(unknown.error?.code).toBe('ENROLLMENT_CODE_INVALID');
    expect(unknown.error!.message).toMatch(HAN);
    expect(unknown.error!.message).not.toMatch(/[a-z]{4,}/);
    const down = await call('setup.enroll', { hqUrl: `http://127.0.0.1:${await deadPort()}`, code });
    expect(down.error?.code).toBe('HQ_UNREACHABLE');
    expect(down.error!.message).toContain('请检查地址');
    // The code is never echoed back.
    for (const r of [unknown, down]) expect(JSON.stringify(r)).not.toContain(code);
    expect(existsSync(dataDir) ? readdirSync(dataDir).filter((f) => f.startsWith('desk.db')) : []).toEqual([]);
    expect((await call('setup.state', {})).value).toMatchObject({ terminal: 'new', sync: null });
  }, 120_000);

  it('enrolls with a right code, takes the first sync, and from then on setup is a manager\'s', async () => {
    const { desk, dataDir, cookie } = await launchEmpty('good');
    const call = async (c: string, method: string, input: unknown) => (await callApi(desk.host, c, method, input)).json as { ok: boolean; value?: any; error?: { code: string; message: string } };
    await call(cookie, 'session.setLang', { lang: 'zh-TW' });
    // No database yet, so no key to wrap: nothing is made.
    expect((await call(cookie, 'setup.recoveryKey', {})).error?.code).toBe('NOT_ENROLLED');
    const code = await newCode();
    // Progress is polled while the enrollment runs, as the setup screen does.
    const seen: string[] = [];
    let running = true;
    const poll = (async () => {
      for (let i = 0; i < 2_000 && running; i++) {
        const s = await call(cookie, 'setup.state', {});
        if (s.value?.sync) seen.push(s.value.sync.phase);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const enrolled = await call(cookie, 'setup.enroll', { hqUrl: ` ${hq.url}/ `, code: ` ${code.toLowerCase()} ` });
    running = false;
    await poll;
    expect(enrolled.error).toBeUndefined();
    expect(enrolled.value).toMatchObject({ terminal: 'enrolled', ready: true, hqUrl: hq.url, sync: { phase: 'done', error: null } });
    expect(enrolled.value.sync.pulled).toBeGreaterThan(40);
    expect(enrolled.value.staffCount).toBeGreaterThanOrEqual(DEMO_STAFF.length);
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(enrolled)).not.toMatch(/ldt_|credential/);
    // config.json names HQ's store and terminal, in the language chosen at the first step.
    expect(readConfig(dataDir)).toMatchObject({ storeId: enrolled.value.storeId, terminalId: enrolled.value.terminalId, lang: 'zh-TW' });

    // The same code again, from another new folder: used.
    const other = await launchEmpty('other');
    const used = (await callApi(other.desk.host, other.cookie, 'setup.enroll', { hqUrl: hq.url, code })).json;
    expect(used.error.code).toBe('ENROLLMENT_CODE_USED');
    expect(readdirSync(other.dataDir).filter((f) => f.startsWith('desk.db'))).toEqual([]);

    // The recovery key: shown to the setup window once (no PIN: whoever enrolled), audited as setup's
    // without the key; only the key in force prints (no printer yet: said so).
    const shown = await call(cookie, 'setup.recoveryKey', {});
    expect(shown.value?.recoveryKey).toMatch(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/);
    expect((await call(cookie, 'setup.recoveryKey', {})).error?.code).toBe('RECOVERY_KEY_ALREADY_SHOWN');
    expect((await call(cookie, 'setup.printRecoveryKey', { recoveryKey: '0000-0000-0000-0000-0000-0000-0000-0000-0000' })).error?.code).toBe('RECOVERY_KEY_INVALID');
    const noPrinter = await call(cookie, 'setup.printRecoveryKey', { recoveryKey: shown.value.recoveryKey });
    expect(noPrinter.error?.code).toBe('PRINTER_NOT_CONFIGURED');
    expect(noPrinter.error?.message).toMatch(HAN);
    const issued = desk.terminal.db.prepare("SELECT actor, content_json FROM audit WHERE action = 'recovery.issued'").all() as { actor: string; content_json: string }[];
    expect(issued.map((e) => e.actor)).toEqual(['setup']);
    expect(issued[0]!.content_json).not.toContain(shown.value.recoveryKey.slice(0, 4));

    // The setup window may not enroll twice; it goes on to finish.
    expect((await call(cookie, 'setup.enroll', { hqUrl: hq.url, code: await newCode() })).error?.code).toBe('ALREADY_ENROLLED');
    // A window opened now is a desk window: setup needs a manager.
    const fresh = await openSession(desk.host);
    expect((await call(fresh, 'setup.state', {})).error?.code).toBe('NOT_SIGNED_IN');
    expect((await call(fresh, 'staff.signIn', { pin: CLERK.pin })).ok).toBe(true);
    expect((await call(fresh, 'setup.state', {})).error?.code).toBe('NOT_MANAGER');
    expect((await call(fresh, 'setup.printer', { printer: null })).error?.code).toBe('NOT_MANAGER');
    expect((await call(fresh, 'setup.recoveryKey', {})).error?.code).toBe('NOT_MANAGER');
    expect((await call(fresh, 'manager.backupNow', {})).error?.code).toBe('NOT_MANAGER');
    expect((await call(fresh, 'staff.signIn', { pin: MANAGER.pin })).ok).toBe(true);
    expect((await call(fresh, 'setup.state', {})).value).toMatchObject({ terminal: 'enrolled', storeId: enrolled.value.storeId, ready: true });
    const again = await call(fresh, 'setup.enroll', { hqUrl: hq.url, code: await newCode() });
    expect(again.error?.code).toBe('ALREADY_ENROLLED');
    expect(again.error?.message).toContain(enrolled.value.terminalId);
    // Shown once, for a manager too: a lost paper is a new key (manager.recoveryKey renew, the check-up tab).
    expect((await call(fresh, 'setup.recoveryKey', {})).error?.code).toBe('RECOVERY_KEY_ALREADY_SHOWN');

    // Finishing ends the setup window's rights: it is a desk window, signed in by PIN.
    expect((await call(cookie, 'setup.finish', {})).value).toEqual({ ready: true });
    expect((await call(cookie, 'setup.state', {})).error?.code).toBe('NOT_SIGNED_IN');
    const signedIn = await call(cookie, 'staff.signIn', { pin: CLERK.pin });
    expect(signedIn.value).toMatchObject({ id: CLERK.id });
    expect((await call(cookie, 'session.current', {})).value).toMatchObject({ lang: 'zh-TW', staff: { id: CLERK.id } });
    expect(desk.terminal.service.deps.identity.storeId).toBe(enrolled.value.storeId);
  }, 120_000);
});

describe('setup on the demo desk', () => {
  it('is reached by a manager, says it is the demo, and refuses to enroll', async () => {
    const { dir, cleanup } = tempDir();
    const dataDir = join(dir, 'demo');
    prepareDeskFolder(dataDir, { members: 30, seed: 'setup' });
    const desk = await launchDesk({ dataDir, rendererDir: rendererAt(join(dir, 'ui')), printerUri: null });
    try {
      expect(desk.settingUp).toBe(false);
      const cookie = await openSession(desk.host);
      const call = async (method: string, input: unknown) => (await callApi(desk.host, cookie, method, input)).json as { ok: boolean; value?: any; error?: { code: string } };
      expect((await call('setup.state', {})).error?.code).toBe('NOT_SIGNED_IN');
      await call('staff.signIn', { pin: CLERK.pin });
      expect((await call('setup.state', {})).error?.code).toBe('NOT_MANAGER');
      // A manager's approval opens it for the clerk, as it opens the rest of the manager area.
      expect((await call('manager.approve', { pin: MANAGER.pin })).ok).toBe(true);
      expect((await call('setup.state', {})).value).toMatchObject({ terminal: 'demo', ready: true, hqUrl: null });
      expect((await call('setup.enroll', { hqUrl: 'http://127.0.0.1:1', code: 'ABCD-EFGH-JKLM' })).error?.code).toBe('ALREADY_ENROLLED');
      expect((await call('setup.sync', {})).error?.code).toBe('SETUP_CLOSED');
      expect((await call('setup.serialPorts', {})).value).toMatchObject({ ports: expect.any(Array) });
    } finally {
      await desk.close();
      cleanup();
    }
  }, 60_000);
});
