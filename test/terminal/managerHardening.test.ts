// The manager's settings and staff at the real boundary (the dispatcher, as a desk window calls it):
// refused printer addresses are never saved and never probed (a loopback server counts connections),
// a serial scanner port is held to the serial rule, every settings change is audited field by field
// with its old and new value, and staff names with generated control, bidi and invisible characters
// are refused in three languages with nothing written.
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalApi, TerminalInput, TerminalMethod } from '../../src/contract/terminalApi';
import { createTranslator } from '../../src/i18n';
import { LANGS } from '../../src/loyalty/types';
import { verifyAuditChain } from '../../src/store/audit';
import { readConfig } from '../../src/terminal/operations/config';
import { openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { deskApi } from '../helpers/sessions';
import { snapshot } from '../helpers/snapshot';

let t: DemoTerminal;
let api: TerminalApi;
let server: Server | null = null;
let connections = 0;

beforeEach(async () => {
  t = openDemoTerminal(60);
  api = deskApi(t.service, { desk: { manager: { sync: null } } });
  const r = await api['staff.signIn']({ pin: '9999' });
  expect(r.ok).toBe(true);
});
afterEach(async () => {
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = null;
  t.cleanup();
});

async function call<M extends TerminalMethod>(method: M, input: TerminalInput<M>) {
  return api[method](input);
}

/** A loopback TCP server that counts connections and answers nothing (a port a probe would find open). */
async function listener(): Promise<number> {
  connections = 0;
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

function settingsAudits(): { changed: string[]; changes: { field: string; from: unknown; to: unknown }[] }[] {
  return (t.db.prepare("SELECT content_json FROM audit WHERE action = 'settings.update' ORDER BY seq").all() as { content_json: string }[]).map((r) => JSON.parse(r.content_json).data);
}

/** A small seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('printer addresses in the settings and the test print', () => {
  const REFUSED = ['tcp://169.254.169.254:80', 'tcp://169.254.169.254', 'tcp://127.0.0.1:22', 'tcp://printer.local:9100', 'tcp://2852039166:9100', 'tcp://0251.0376.0251.0376:9100', 'tcp://[::ffff:169.254.169.254]:9100', 'tcp://[fe80::1]:9100', 'tcp://8.8.8.8:9100', 'tcp://10.0.0.5:3306', 'serial:/etc/passwd', '/dev/sda', 'file:/dev/null'];

  it.each(REFUSED)('never saves %s, and says why', async (uri) => {
    const before = snapshot(t.db);
    const r = await call('manager.settings.set', { printer: uri });
    expect(!r.ok && r.error.code).toBe('PRINTER_ADDRESS_REFUSED');
    expect(!r.ok && r.error.message).toContain(uri);
    expect(readConfig(t.dir)).toBeNull();
    expect(snapshot(t.db)).toEqual(before);
  });

  it('does not connect to a refused address: the test print and the printer check refuse before any probe', async () => {
    const port = await listener();
    for (const printer of [`tcp://127.0.0.1:${port}`, `tcp://127.0.0.1:${port}?cols=32`, `tcp://[::ffff:127.0.0.1]:${port}`, `tcp://localhost:${port}`, `tcp://2130706433:${port}`]) {
      const test = await call('manager.settings.testPrint', { printer });
      expect(!test.ok && test.error.code, printer).toBe('PRINTER_ADDRESS_REFUSED');
      const status = await call('manager.settings.printerStatus', { printer });
      expect(!status.ok && status.error.code, printer).toBe('PRINTER_ADDRESS_REFUSED');
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(connections).toBe(0);
    // The same port once IT lists it in config.json: now the desk does connect (the server is no printer).
    allowPrinter(t.dir, { ports: [port] });
    const listed = await call('manager.settings.printerStatus', { printer: `tcp://127.0.0.1:${port}` });
    expect(listed.ok).toBe(true);
    expect(connections).toBeGreaterThan(0);
    // Listing a port never lets a refused address through.
    const still = await call('manager.settings.testPrint', { printer: `tcp://169.254.169.254:${port}` });
    expect(!still.ok && still.error.code).toBe('PRINTER_ADDRESS_REFUSED');
  });

  it('refuses a serial scanner port outside /dev/tty*, /dev/serial/…, COMn unless IT listed it', async () => {
    for (const port of ['/etc/passwd', '/dev/sda', '/home/clerk/.ssh/id_rsa', '/dev/ttyUSB0/../../etc/shadow', 'C:\\Windows\\win.ini']) {
      const r = await call('manager.settings.set', { scanner: { serial: { port, baud: 9600 } } });
      expect(!r.ok && r.error.code, port).toBe('SCANNER_PORT_REFUSED');
    }
    expect(readConfig(t.dir)).toBeNull();
    expect((await call('manager.settings.set', { scanner: { serial: { port: '/dev/ttyUSB0', baud: 9600 } } })).ok).toBe(true);
    allowPrinter(t.dir, { serialPaths: ['/opt/scanner/tty'] });
    expect((await call('manager.settings.set', { scanner: { serial: { port: '/opt/scanner/tty', baud: 115200 } } })).ok).toBe(true);
    expect(readConfig(t.dir)?.scanner.serial).toEqual({ port: '/opt/scanner/tty', baud: 115200 });
  });
});

describe('every settings change is audited with its old and new value', () => {
  it('audits 60 random changes field by field, and writes nothing for no change', async () => {
    const random = rng(6);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const printers = [null, 'tcp://192.168.1.50:9100', 'tcp://10.0.0.7:9101?cols=32', 'serial:/dev/ttyUSB0?baud=115200', '/dev/usb/lp0', 'tcp://[fd00::7]:9109'];
    const ports = [null, '/dev/ttyUSB0', '/dev/ttyACM0', 'COM3', '/dev/serial/by-id/usb-scanner-if00'];
    let expected = 0;
    const flat = (c: ReturnType<typeof readConfig>) => ({
      printer: c?.printer ?? null,
      lang: c?.lang ?? 'zh-CN',
      'scanner.wedge.enabled': c?.scanner.wedge.enabled ?? true,
      'scanner.wedge.maxInterKeyMs': c?.scanner.wedge.maxInterKeyMs ?? 35,
      'scanner.wedge.minLength': c?.scanner.wedge.minLength ?? 8,
      'scanner.serial.port': c?.scanner.serial.port ?? null,
      'scanner.serial.baud': c?.scanner.serial.baud ?? 9600,
      'scanner.camera.deviceId': c?.scanner.camera.deviceId ?? null,
    });
    for (let i = 0; i < 60; i++) {
      const patch: TerminalInput<'manager.settings.set'> = {};
      if (random() < 0.5) patch.printer = pick(printers);
      if (random() < 0.4) patch.lang = pick(LANGS);
      if (random() < 0.4) patch.scanner = { serial: { port: pick(ports), baud: pick([9600, 115200]) } };
      if (random() < 0.3) patch.scanner = { ...patch.scanner, wedge: { enabled: random() < 0.8, maxInterKeyMs: pick([20, 35, 50]), minLength: pick([8, 10]) } };
      if (random() < 0.2) patch.scanner = { ...patch.scanner, camera: { deviceId: pick([null, 'cam-1', 'cam-2']) } };
      const before = flat(readConfig(t.dir));
      const r = await call('manager.settings.set', patch);
      expect(r.ok).toBe(true);
      const after = flat(readConfig(t.dir));
      const diff = Object.keys(before)
        .filter((k) => before[k as keyof typeof before] !== after[k as keyof typeof after])
        .map((field) => ({ field, from: before[field as keyof typeof before], to: after[field as keyof typeof after] }));
      if (diff.length > 0) expected++;
      const audits = settingsAudits();
      expect(audits.length).toBe(expected);
      if (diff.length > 0) expect(audits.at(-1)!.changes.sort((a, b) => a.field.localeCompare(b.field))).toEqual(diff.sort((a, b) => a.field.localeCompare(b.field)));
    }
    expect(expected).toBeGreaterThan(20);
    expect(verifyAuditChain(t.db).ok).toBe(true);
  });

  it('audits a change of serial port alone (it was not before), naming both ports', async () => {
    await call('manager.settings.set', { scanner: { serial: { port: '/dev/ttyUSB0', baud: 9600 } } });
    await call('manager.settings.set', { scanner: { serial: { port: '/dev/ttyUSB1', baud: 9600 } } });
    expect(settingsAudits().at(-1)!.changes).toEqual([{ field: 'scanner.serial.port', from: '/dev/ttyUSB0', to: '/dev/ttyUSB1' }]);
    const content = (t.db.prepare('SELECT group_concat(content_json) AS c FROM audit').get() as { c: string }).c;
    expect(content).not.toMatch(/pin_hash|credential|"pin"/i);
  });
});

describe('staff names at the desk', () => {
  const CONTROL = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\ud800'];
  const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
  const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u{e0041}', '\ufe0f', '\u3164', '\u2800'];
  const names = ['王芳', '陈磊', 'Ann Lee', '李娜', 'José', 'Zoë'];

  async function refusedAs(name: string, context: string) {
    const before = snapshot(t.db);
    const r = await call('manager.staff.add', { name, pin: '4826' });
    expect(!r.ok && r.error.code, JSON.stringify(name)).toBe('STAFF_NAME_INVALID');
    expect(!r.ok && r.error.params.context, JSON.stringify(name)).toBe(context);
    expect(snapshot(t.db)).toEqual(before);
    return r;
  }

  it('refuses 150 names with a random control, bidi or invisible character anywhere in them', async () => {
    const random = rng(3);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    for (let i = 0; i < 150; i++) {
      const [kind, chars] = pick([['control', CONTROL], ['bidi', BIDI], ['invisible', INVISIBLE]] as const);
      const base = pick(names);
      const at = Math.floor(random() * (base.length + 1));
      // Tabs and line breaks are controls even at the ends, where trimming would otherwise hide them.
      await refusedAs(`${base.slice(0, at)}${pick(chars)}${base.slice(at)}`, kind);
    }
  });

  it('refuses blank, zero-width-only and too-long names; keeps a name NFC and trimmed', async () => {
    for (const blank of ['', ' ', '\u3000\u3000', '   ', '·', '--']) await refusedAs(blank, 'blank');
    for (const zw of ['\u200b', '\u200b\u200c\u200d', '\ufeff', '\u2060\u2060']) await refusedAs(zw, 'invisible');
    await refusedAs('王'.repeat(41), 'tooLong');
    const nfd = '  Jose\u0301  Mari\u0301a  ';
    const r = await call('manager.staff.add', { name: nfd, pin: '4826' });
    expect(r.ok && r.value.name).toBe('José María');
    const ok40 = await call('manager.staff.add', { name: '王'.repeat(40), pin: '4827' });
    expect(ok40.ok).toBe(true);
    const row = t.db.prepare("SELECT name FROM staff WHERE name LIKE 'Jos%'").get() as { name: string };
    expect(row.name).toBe('José María'.normalize('NFC'));
  });

  it.each(LANGS)('says why in %s', async (lang) => {
    const tr = createTranslator(lang);
    const texts = new Set<string>();
    for (const context of ['blank', 'control', 'bidi', 'invisible', 'tooLong']) {
      const text = tr.error('STAFF_NAME_INVALID', { context, max: 40 });
      expect(text).not.toMatch(/\{\{|error\./);
      texts.add(text);
    }
    expect(texts.size).toBe(5);
  });
});
