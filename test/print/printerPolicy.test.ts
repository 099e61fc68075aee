// Where a printer may be, at the boundary where an address comes in (parsePrinterUri): generated
// addresses — random public and link-local IPv4/IPv6, IPv4 dressed as IPv6, names, other number forms
// of an IP, odd ports, device and serial paths — each held against an oracle written apart from the
// code (32/128-bit masks), and every refusal worded in three languages.
import { describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { LANGS } from '../../src/loyalty/types';
import { parsePrinterUri, type PrinterSpec } from '../../src/print/printerUri';
import { serialPathAllowed } from '../../src/print/printerPolicy';

/** A small seeded PRNG (mulberry32): the same cases every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(16);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

function outcome(uri: string, allow = {}): { spec: PrinterSpec } | { code: string; context: unknown } {
  try {
    return { spec: parsePrinterUri(uri, allow) };
  } catch (err) {
    if (!(err instanceof DeskError)) throw err;
    return { code: err.code, context: err.params.context };
  }
}
const refused = (uri: string, context: string) => expect(outcome(uri), uri).toEqual({ code: 'PRINTER_ADDRESS_REFUSED', context });

// ---- the oracle: CIDR masks over integers, nothing shared with printerPolicy.ts ----
const v4 = (o: number[]) => ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
const inV4 = (ip: number, base: number[], bits: number) => (ip >>> (32 - bits)) === (v4(base) >>> (32 - bits));
function oracleV4(o: number[]): 'ok' | 'linkLocal' | 'outsideLan' {
  const ip = v4(o);
  if (inV4(ip, [127, 0, 0, 0], 8) || inV4(ip, [10, 0, 0, 0], 8) || inV4(ip, [172, 16, 0, 0], 12) || inV4(ip, [192, 168, 0, 0], 16)) return 'ok';
  if (inV4(ip, [169, 254, 0, 0], 16)) return 'linkLocal';
  return 'outsideLan';
}
const big6 = (g: number[]) => g.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);
const inV6 = (ip: bigint, base: bigint, bits: number) => ip >> BigInt(128 - bits) === base >> BigInt(128 - bits);
function oracleV6(g: number[]): 'ok' | 'linkLocal' | 'outsideLan' | 'mapped' {
  const ip = big6(g);
  if (ip === 1n || inV6(ip, 0xfc00n << 112n, 7)) return 'ok';
  if (inV6(ip, 0xfe80n << 112n, 10)) return 'linkLocal';
  if (inV6(ip, 0xffffn << 32n, 96) || inV6(ip, 0xffffn << 48n, 96) || inV6(ip, 0x64ff9bn << 96n, 96) || (ip >> 32n === 0n && ip > 1n)) return 'mapped';
  return 'outsideLan';
}
const randomV4 = () => [int(256), int(256), int(256), int(256)];
const randomV6 = () => Array.from({ length: 8 }, () => int(0x10000));
/** The same IPv6 address written several ways: full, canonical (the URL parser's), upper case. */
function spell6(g: number[]): string[] {
  const full = g.map((x) => x.toString(16)).join(':');
  const canonical = new URL(`http://[${full}]`).hostname.slice(1, -1);
  return [full, canonical, canonical.toUpperCase()];
}

describe('network printers: loopback and the private LAN only, on printer ports', () => {
  it('holds 3,000 random IPv4 addresses to the ranges (127/8, 10/8, 172.16/12, 192.168/16 allowed; 169.254/16 link-local)', () => {
    const seen = { ok: 0, linkLocal: 0, outsideLan: 0 };
    const special = [[127, 0, 0, 1], [10, 0, 0, 1], [172, 16, 0, 1], [172, 31, 255, 255], [172, 15, 0, 1], [172, 32, 0, 1], [192, 168, 1, 50], [192, 169, 0, 1], [169, 254, 169, 254], [169, 254, 0, 1], [0, 0, 0, 0], [255, 255, 255, 255], [100, 64, 0, 1], [224, 0, 0, 1], [8, 8, 8, 8]];
    const cases = [...special, ...Array.from({ length: 1000 }, randomV4), ...Array.from({ length: 1000 }, () => [pick([10, 127]), int(256), int(256), int(256)]), ...Array.from({ length: 1000 }, () => [pick([169, 172, 192]), pick([254, 168, 16 + int(16), int(256)]), int(256), int(256)])];
    for (const o of cases) {
      const uri = `tcp://${o.join('.')}:${9100 + int(10)}`;
      const want = oracleV4(o);
      seen[want]++;
      if (want === 'ok') expect(outcome(uri), uri).toMatchObject({ spec: { target: { kind: 'tcp', host: o.join('.') } } });
      else refused(uri, want);
    }
    expect(Math.min(seen.ok, seen.linkLocal, seen.outsideLan)).toBeGreaterThan(50);
  });

  it('holds 2,000 random IPv6 addresses, each spelled three ways, to ::1 and fc00::/7 (fe80::/10 link-local)', () => {
    const seen = { ok: 0, linkLocal: 0, outsideLan: 0, mapped: 0 };
    const cases = [
      ...Array.from({ length: 700 }, randomV6),
      ...Array.from({ length: 500 }, () => [0xfc00 | int(0x200), ...randomV6().slice(1)]),
      ...Array.from({ length: 400 }, () => [0xfe80 | int(0x40), ...randomV6().slice(1)]),
      ...Array.from({ length: 400 }, () => [0, 0, 0, 0, 0, pick([0xffff, 0]), int(0x10000), int(0x10000)]),
      [0, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ];
    for (const g of cases) {
      const want = oracleV6(g);
      seen[want]++;
      for (const spelled of spell6(g)) {
        const uri = `tcp://[${spelled}]:9100`;
        if (want === 'ok') expect(outcome(uri), uri).toMatchObject({ spec: { target: { kind: 'tcp' } } });
        else refused(uri, want);
      }
    }
    expect(Math.min(...Object.values(seen))).toBeGreaterThan(50);
  });

  it('refuses IPv4 dressed as IPv6, whatever the IPv4 is', () => {
    for (const ip of ['169.254.169.254', '127.0.0.1', '10.0.0.1', '192.168.1.5', ...Array.from({ length: 200 }, () => randomV4().join('.'))]) {
      const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
      const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
      for (const host of [`::ffff:${ip}`, `::ffff:${hex}`, `::FFFF:${ip}`, `0:0:0:0:0:ffff:${ip}`, `::ffff:0:${ip}`, `64:ff9b::${ip}`, `64:ff9b::${hex}`]) refused(`tcp://[${host}]:9100`, 'mapped');
    }
    refused('tcp://[::169.254.169.254]:9100', 'mapped');
  });

  it('refuses names and every other way of writing a number as an IP (never resolved)', () => {
    const names = ['localhost', 'printer', 'printer.local', 'metadata.google.internal', 'metadata', 'epson-tm.store.lan', 'xn--fiqs8s', '127.0.0.1.nip.io', '1.1.1.1.in-addr.arpa'];
    for (let i = 0; i < 300; i++) {
      const label = () => Array.from({ length: 1 + int(12) }, () => pick([...'abcdefghijklmnopqrstuvwxyz0123456789-'])).join('');
      names.push(Array.from({ length: 1 + int(4) }, label).join('.'));
    }
    for (const o of [[127, 0, 0, 1], [169, 254, 169, 254], [10, 0, 0, 5], [192, 168, 1, 50], ...Array.from({ length: 300 }, randomV4)]) {
      const n = v4(o);
      names.push(
        String(n), // 2852039166
        o.map((x) => `0${x.toString(8)}`).join('.'), // 0251.0376.0251.0376
        `0x${n.toString(16)}`,
        o.map((x) => `0x${x.toString(16)}`).join('.'),
        `${o[0]}.${o[1]}.${(o[2]! << 8) | o[3]!}`, // a.b.c16
        `${o[0]}.${(o[1]! << 16) | (o[2]! << 8) | o[3]!}`, // a.b24
        `${o.join('.')}.`, // trailing dot
      );
      if (o.some((x) => x < 100)) names.push(o.map((x) => String(x).padStart(3, '0')).join('.')); // 010.000.000.005
    }
    for (const host of names) {
      const r = outcome(`tcp://${host}:9100`);
      // A name-shaped host is refused as not an IP; one the URI grammar does not take is invalid. Never accepted.
      expect('spec' in r ? r.spec.target : r, host).toEqual(expect.objectContaining({ code: expect.stringMatching(/^PRINTER_(ADDRESS_REFUSED|URI_INVALID)$/) }));
      if ('code' in r && r.code === 'PRINTER_ADDRESS_REFUSED') expect(r.context, host).toBe('notIp');
    }
    refused('tcp://2852039166:9100', 'notIp');
    refused('tcp://0251.0376.0251.0376:9100', 'notIp');
    refused('tcp://127.1:9100', 'notIp');
  });

  it('takes 9100–9109 and the ports config.json lists; refuses every other port, and odd spellings of one', () => {
    for (let port = 9100; port <= 9109; port++) expect(outcome(`tcp://10.0.0.5:${port}`)).toHaveProperty('spec');
    const odd = [1, 22, 80, 443, 515, 631, 3306, 5432, 6379, 8080, 9099, 9110, 65535, ...Array.from({ length: 500 }, () => 1 + int(65535))].filter((p) => p < 9100 || p > 9109);
    for (const port of odd) {
      for (const host of ['127.0.0.1', '10.0.0.5', '[::1]', '[fd00::9]']) {
        const r = outcome(`tcp://${host}:${port}`);
        expect(r, `${host}:${port}`).toEqual({ code: 'PRINTER_ADDRESS_REFUSED', context: 'port' });
      }
      if (port >= 1024) expect(outcome(`tcp://127.0.0.1:${port}`, { ports: [port] })).toHaveProperty('spec');
    }
    // The allowance adds ports, never addresses.
    refused('tcp://169.254.169.254:80', 'linkLocal');
    expect(outcome('tcp://169.254.169.254:9200', { ports: [9200] })).toEqual({ code: 'PRINTER_ADDRESS_REFUSED', context: 'linkLocal' });
    expect(outcome('tcp://8.8.8.8:9100', { ports: [9100] })).toEqual({ code: 'PRINTER_ADDRESS_REFUSED', context: 'outsideLan' });
    for (const port of ['0x238c', '09100', '+9100', '9100.0', '1e4', '-1', '0', '65536', '99999999999', ' 9100', '9100x', '９１００']) {
      expect(outcome(`tcp://10.0.0.5:${port}`), port).toMatchObject({ code: 'PRINTER_URI_INVALID' });
    }
  });
});

describe('device files and serial ports', () => {
  it('takes /dev/usb/lpN and /dev/lpN only as device files', () => {
    for (const ok of ['/dev/usb/lp0', '/dev/usb/lp12', '/dev/lp0', 'file:/dev/lp1', 'file:///dev/usb/lp3']) expect(outcome(ok), ok).toHaveProperty('spec');
    const bad = ['/dev/sda', '/dev/null', '/dev/zero', '/dev/mem', '/dev/tty', '/dev/ttyS0', '/dev/usb/lp0x', '/dev/lp', '/dev/usb/lp', '/dev/usb/hiddev0', '/dev/shm/receipts', '/dev/fd/1', '/dev/stdout', '/dev/usb/lp0/../../sda', '/dev/./usb/lp0', '/dev//usb/lp0'];
    for (let i = 0; i < 200; i++) bad.push(`/dev/${Array.from({ length: 1 + int(8) }, () => pick([...'abcdefgklmnopstuvwxyz0123456789/._-'])).join('')}`);
    for (const uri of bad.filter((p) => !/^\/dev\/(usb\/)?lp\d{1,3}$/.test(p))) {
      const r = outcome(uri);
      expect(r, uri).toEqual(expect.objectContaining({ code: expect.stringMatching(/^PRINTER_(ADDRESS_REFUSED|URI_INVALID)$/) }));
      if ('code' in r && r.code === 'PRINTER_ADDRESS_REFUSED') expect(r.context).toBe('device');
    }
  });

  it('takes /dev/tty*, /dev/serial/… and COMn as serial ports, plus the exact paths config.json lists', () => {
    for (const ok of ['/dev/ttyUSB0', '/dev/ttyS0', '/dev/ttyACM1', '/dev/tty.usbserial-1410', '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0', 'COM1', 'COM12', 'com3']) {
      expect(outcome(`serial:${ok}`), ok).toHaveProperty('spec');
    }
    for (const bad of ['/etc/passwd', '/dev/tty', '/dev/sda', '/dev/pts/3', '/dev/tty/../sda', '/dev/ttyUSB0/../../etc/passwd', '/dev/serial/../sda', '/dev/serial/by-id/../../sda', '/dev/serial/', '/dev/serial/./x', '/tmp/tty', '/home/clerk/tty', 'COM0', '/dev/cu.usbserial']) {
      expect(outcome(`serial:${bad}`), bad).toEqual({ code: 'PRINTER_ADDRESS_REFUSED', context: 'serial' });
    }
    for (const bad of ['COM1234', 'ttyUSB0', '\\\\.\\COM3', 'serial0']) expect(outcome(`serial:${bad}`), bad).toMatchObject({ code: 'PRINTER_URI_INVALID' });
    expect(outcome('serial:/tmp/ld/tty', { serialPaths: ['/tmp/ld/tty'] })).toHaveProperty('spec');
    expect(outcome('serial:/tmp/ld/tty2', { serialPaths: ['/tmp/ld/tty'] })).toEqual({ code: 'PRINTER_ADDRESS_REFUSED', context: 'serial' });
    expect(serialPathAllowed('/etc/passwd')).toBe(false);
  });
});

describe('refusals say why, in three languages', () => {
  it.each(LANGS)('%s', (lang) => {
    const tr = createTranslator(lang);
    const sentences = new Set<string>();
    for (const uri of ['tcp://printer.local:9100', 'tcp://169.254.169.254:80', 'tcp://8.8.8.8:9100', 'tcp://[::ffff:169.254.169.254]:9100', 'tcp://127.0.0.1:22', '/dev/sda', 'serial:/etc/passwd']) {
      const r = outcome(uri);
      expect(r).toMatchObject({ code: 'PRINTER_ADDRESS_REFUSED' });
      let err: DeskError | null = null;
      try {
        parsePrinterUri(uri);
      } catch (e) {
        err = e as DeskError;
      }
      const text = tr.error(err!.code, err!.params);
      expect(text).toContain(uri);
      expect(text).not.toMatch(/\{\{|error\./);
      sentences.add(text);
    }
    expect(sentences.size).toBe(7);
    expect(tr.error('PRINTER_ADDRESS_REFUSED', { uri: 'tcp://127.0.0.1:22', context: 'port', port: 22, ports: '9100–9109' })).toContain('9100–9109');
  });
});
