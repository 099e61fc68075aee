// The logs keep no personal data or secrets (issue 19 item 4). A real HQ (PGlite, in-process, on
// loopback) seeded with demo members whose names and phones we know; a terminal enrolled there and
// run as the web host with the fake printer; over the desk's HTTP API: wrong and right PINs, a
// manager changing PINs, lookups by phone, card number and signed member code, a phone check,
// redemptions and an earn, a day-end sync with HQ, a printed receipt and one that fails on a paper
// fault. Then every file under logs/ is read: each line is JSON with time, level and requestId,
// only fields of the allow-list, ASCII only, and none of the names, phones, cards, PINs, member
// codes, the HQ credential, the admin token or the launch token appear anywhere in it.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, seedDemoAtHq } from '../../src/cli/commands/hqAdmin';
import { launchDesk, type DeskLaunch } from '../../src/host/launch';
import { startHq, type RunningHq } from '../../src/hq/server';
import { LOG_FIELDS } from '../../src/log/fields';
import { LOG_EVENTS, LOG_LEVELS } from '../../src/log/port';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { openStore } from '../../src/store/open';
import { enrollTerminal } from '../../src/syncClient/enroll';
import { syncOnce } from '../../src/syncClient/syncRun';
import { DEMO_STAFF, DEMO_STORE } from '../../src/terminal/demo/catalog';
import { generateDemoMembers } from '../../src/terminal/demo/members';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { callApi, send } from '../host/helpers';

const ADMIN_TOKEN = 'logs-admin-token-5f2c9a7e1b';
const MEMBERS = 40;
const CLERK_PIN = '73519286';
const CLERK_NAME = '欧阳晓雯';
const WRONG_PIN = '40926153';

let tmp: ReturnType<typeof tempDir>;
let hq: RunningHq;
let printer: FakePrinter;
let desk: DeskLaunch;
let dataDir: string;
const secrets = new Map<string, string>();
const demo: { id: string; name: string; phone: string; cardNo: string }[] = [];

const keep = (what: string, value: string) => secrets.set(value, what);

async function until<T>(what: string, check: () => T | null | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function logText(): string {
  const dir = join(dataDir, 'logs');
  return readdirSync(dir)
    .map((n) => readFileSync(join(dir, n), 'utf8'))
    .join('');
}

/** A window: the launch link exchanged for a cookie (the token kept as a secret to look for). */
async function windowSession(): Promise<string> {
  const url = new URL(desk.host.launchUrl());
  keep('launch token', url.searchParams.get('token')!);
  const r = await send(desk.host, `${url.pathname}${url.search}`);
  expect(r.status).toBe(303);
  return String(r.headers['set-cookie'] ?? '').split(';')[0]!;
}

async function ok(cookie: string, method: string, input: unknown): Promise<any> {
  const r = await callApi(desk.host, cookie, method, input);
  expect(r.json, `${method} ${JSON.stringify(r.json)}`).toMatchObject({ ok: true });
  return r.json.value;
}

beforeAll(async () => {
  tmp = tempDir('ld-logs-privacy-');
  keep('admin token', ADMIN_TOKEN);
  hq = await startHq({ adminToken: ADMIN_TOKEN, onError: () => undefined });
  const seededAt = Date.now();
  const hqKeyFile = join(tmp.dir, 'hq-key.json');
  await seedDemoAtHq(adminClient(hq.url, ADMIN_TOKEN), { members: MEMBERS, seed: 'logs', now: seededAt, hqKeyFile }, () => undefined);
  generateDemoMembers({ seed: 'logs', now: seededAt, members: MEMBERS }, (m) => {
    demo.push({ id: m.id, name: m.name, phone: m.phone, cardNo: m.cardNo });
    keep(`name of ${m.id}`, m.name);
    keep(`phone of ${m.id}`, m.phone);
    keep(`card of ${m.id}`, m.cardNo);
  });
  for (const s of DEMO_STAFF) keep(`name of ${s.id}`, s.name);
  for (const [what, pin] of [['clerk PIN', CLERK_PIN], ['wrong PIN', WRONG_PIN]] as const) keep(what, pin);
  keep('new clerk name', CLERK_NAME);

  const { code } = (await adminClient(hq.url, ADMIN_TOKEN)('POST', '/v1/admin/enrollment-codes', { storeId: DEMO_STORE.id })) as { code: string };
  keep('enrollment code', code);
  dataDir = join(tmp.dir, 't1');
  await enrollTerminal({ dbPath: join(dataDir, 'desk.db'), hqUrl: hq.url, code });
  const { db } = openStore(join(dataDir, 'desk.db'), { create: false });
  try {
    await syncOnce(db);
    keep('HQ credential', (db.prepare("SELECT value FROM sync_state WHERE key = 'credential'").get() as { value: string }).value);
  } finally {
    db.close();
  }
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dataDir, printer.allow);
  // The API is what is exercised here; the page itself is the e2e tests' (a stub keeps the build out).
  const rendererDir = join(tmp.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
  desk = await launchDesk({ dataDir, rendererDir, printerUri: printer.uri, onInternal: () => undefined });

  const hqKey = privateJwkSchema.parse(JSON.parse(readFileSync(hqKeyFile, 'utf8')));
  const db2 = desk.terminal.db;
  const active = db2.prepare("SELECT id, card_no, card_serial FROM members WHERE status = 'active' AND tier IN ('core','premium') ORDER BY id LIMIT 3").all() as { id: string; card_no: string; card_serial: number }[];
  expect(active.length).toBe(3);
  const phoneOf = (id: string) => demo.find((d) => d.id === id)!.phone;

  // The manager adds a clerk with a known name and a PIN that cannot turn up by chance in an id.
  const manager = await windowSession();
  await ok(manager, 'staff.signIn', { pin: '9999' });
  await ok(manager, 'manager.staff.add', { name: CLERK_NAME, pin: CLERK_PIN });
  await ok(manager, 'staff.signOut', {});

  const clerk = await windowSession();
  expect((await callApi(desk.host, clerk, 'staff.signIn', { pin: WRONG_PIN })).json.error.code).toBe('WRONG_PIN');
  await ok(clerk, 'staff.signIn', { pin: CLERK_PIN });
  // by phone (found unverified), by card number with the phone check, by a signed member code
  await ok(clerk, 'member.lookup', { phone: phoneOf(active[0]!.id) });
  await ok(clerk, 'scan.submit', { code: active[1]!.card_no });
  await ok(clerk, 'member.confirmPhone', { memberId: active[1]!.id, phone: phoneOf(active[1]!.id) });
  const redeemed = await ok(clerk, 'benefit.redeem', { memberId: active[1]!.id, benefitId: 'B-VOUCHER-20' });
  await until('the receipt printed', () => printer.receipts.length >= 1);
  const memberCode = mintCardCode(hqKey, { mid: active[2]!.id, cs: active[2]!.card_serial, iat: Math.floor(Date.now() / 1000) - 60 });
  keep('member code', memberCode);
  await ok(clerk, 'scan.submit', { code: memberCode });
  // A phone said wrongly is refused, and its digits are not logged either.
  const wrongPhone = `${phoneOf(active[1]!.id).slice(0, -2)}00`;
  keep('wrong phone', wrongPhone);
  await callApi(desk.host, clerk, 'member.lookup', { phone: wrongPhone });
  await ok(clerk, 'points.earn', { memberId: active[2]!.id, lines: [{ amountFen: 25_800, category: 'cosmetics' }] });
  await until('the earn receipt printed', () => printer.receipts.length >= 2);

  // A paper fault: the next receipt fails and waits in the queue.
  printer.setFault({ fault: 'paper-out' });
  await ok(clerk, 'receipt.reprint', { opId: redeemed.opId });
  await until('a failed print in the log', () => logText().includes('"event":"print.failed"'));
  printer.setFault({ fault: 'none' });

  // Day-end: the manager's sync with HQ through the desk's sync loop.
  const closing = await windowSession();
  await ok(closing, 'staff.signIn', { pin: '9999' });
  const dayEnd = await ok(closing, 'manager.dayEnd', {});
  expect(dayEnd.sync?.ok ?? dayEnd.synced ?? true).toBeTruthy();
  await until('a sync in the log', () => logText().includes('"event":"sync.done"'));
  await desk.close();
}, 120_000);

afterAll(async () => {
  await printer?.close();
  await hq?.close();
  tmp?.cleanup();
});

describe('the desk logs (issue 19 item 4)', () => {
  it('keeps its logs in the data folder, the folder 0700 and each file 0600', () => {
    const dir = join(dataDir, 'logs');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
  });

  it('writes JSON lines with time, level, event and requestId, and only allow-listed fields', () => {
    const lines = logText().split('\n').filter(Boolean);
    const base = new Set(['time', 'level', 'event', 'requestId', 'pid']);
    const events = new Set<string>();
    for (const text of lines) {
      const line = JSON.parse(text) as Record<string, unknown>;
      expect(Number.isFinite(Date.parse(String(line.time))), text).toBe(true);
      expect(LOG_LEVELS, text).toContain(line.level);
      expect(LOG_EVENTS, text).toContain(line.event);
      expect(line.requestId, text).toMatch(/^[0-9a-f]{12}$/);
      for (const key of Object.keys(line)) expect(base.has(key) || Object.hasOwn(LOG_FIELDS, key), `${key} in ${text}`).toBe(true);
      events.add(String(line.event));
    }
    // what happened is there: the start and stop, the calls, a sync, a receipt printed and one failed
    expect([...events].sort()).toEqual(expect.arrayContaining(['host.start', 'host.stop', 'call', 'sync.done', 'print.printed', 'print.failed']));
    const calls = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'call');
    expect(calls.some((c) => c.method === 'staff.signIn' && c.code === 'WRONG_PIN')).toBe(true);
    expect(calls.some((c) => c.method === 'benefit.redeem' && c.ok === true && typeof c.opId === 'string')).toBe(true);
    // each dispatched call has its own request id
    expect(new Set(calls.map((c) => c.requestId)).size).toBe(calls.length);
  });

  it('holds no name, phone, card number, PIN, member code, credential or token', () => {
    const text = logText();
    // names are Chinese: a log that is ASCII throughout holds none of them, nor any other text typed in
    expect([...text].filter((c) => c.charCodeAt(0) > 0x7e)).toEqual([]);
    const found = [...secrets].filter(([value]) => text.includes(value)).map(([value, what]) => `${what}: ${value}`);
    expect(found).toEqual([]);
    expect(secrets.size).toBeGreaterThan(MEMBERS * 3);
    // the demo's 4-digit PIN used once above, as a value of its own
    expect(text).not.toMatch(/[":]9999[",}]/);
  });
});
