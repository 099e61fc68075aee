// Where a printer may be (docs/security.md): a printer address is a setting a manager changes at the
// desk, and the desk connects to it — so it must not turn the store PC into a tool that reaches the
// cloud metadata service, scans ports or writes to files. A network printer is a literal IP on this
// PC or the store's private network, on a printer port; a USB printer a /dev/usb/lpN or /dev/lpN
// device; a serial printer (or scanner) a /dev/tty*, /dev/serial/… or COMn port. The IT person may
// list more ports in config.json ("printerPorts", "serialPaths"); the manager's settings cannot.
// Names are refused, not resolved: DNS could point anywhere, and a name would be asked of DNS at
// every print. Pure: nothing here opens a socket or asks DNS.
import { isIPv6 } from 'node:net';

/** The raw (JetDirect) printer ports: 9100 is every ESC/POS network printer's; a print server's second and later ports follow it. */
export const PRINTER_PORT_RANGE = { from: 9100, to: 9109 } as const;

/** What the desk's config.json adds, written by the IT person (never by the manager's settings). */
export interface PrinterAllowance {
  /** More TCP ports for network printers (1024–65535). */
  readonly ports?: readonly number[];
  /** More serial ports (exact paths), e.g. a USB adapter with an unusual name. */
  readonly serialPaths?: readonly string[];
}

export type HostClass = 'loopback' | 'private' | 'linkLocal' | 'outsideLan' | 'mapped' | 'notIp';
/** Why an address is refused; the i18n context of PRINTER_ADDRESS_REFUSED. */
export type AddressRefusal = 'notIp' | 'linkLocal' | 'outsideLan' | 'mapped' | 'port' | 'device' | 'serial';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Four plain decimal numbers, no leading zeros: 0251.0376… (octal), 2852039166 (one number), 0xA9FEA9FE, 127.1 are not IPs here. */
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

function ipv4Octets(host: string): number[] | null {
  return IPV4.test(host) ? host.split('.').map(Number) : null;
}

function classifyIpv4(o: readonly number[]): HostClass {
  const [a = 0, b = 0] = o;
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'linkLocal';
  return 'outsideLan';
}

/** The eight 16-bit groups of an IPv6 literal (with an IPv4 tail turned into two groups); null if it is not one. */
export function ipv6Groups(host: string): number[] | null {
  if (host.includes('%') || !isIPv6(host)) return null;
  let text = host.toLowerCase();
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const o = ipv4Octets(tail[1]!);
    if (!o) return null;
    text = `${text.slice(0, tail.index + 1)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]);
  const rest = part(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<number>(fill).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function classifyIpv6(g: readonly number[]): HostClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'linkLocal';
  // IPv4 dressed as IPv6 — mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d,
  // NAT64 64:ff9b::/96: its reach is the IPv4 address's, so it must be written as that address.
  if (zeroUpTo(5) && g[5] === 0xffff) return 'mapped';
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return 'mapped';
  if (zeroUpTo(6) && (g[6] !== 0 || g[7]! > 1)) return 'mapped';
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0) return 'mapped';
  return 'outsideLan';
}

/** What a printer host is, from its text alone (IPv6 without brackets). Never asks DNS. */
export function classifyHost(host: string): HostClass {
  const v4 = ipv4Octets(host);
  if (v4) return classifyIpv4(v4);
  const v6 = ipv6Groups(host);
  if (v6) return classifyIpv6(v6);
  return 'notIp';
}

export function printerPortAllowed(port: number, allow: PrinterAllowance = {}): boolean {
  return (port >= PRINTER_PORT_RANGE.from && port <= PRINTER_PORT_RANGE.to) || (allow.ports ?? []).includes(port);
}

/** The ports a printer may listen on, as a sentence part: "9100–9109" or "9100–9109, 9200". */
export function allowedPortsText(allow: PrinterAllowance = {}): string {
  return [`${PRINTER_PORT_RANGE.from}–${PRINTER_PORT_RANGE.to}`, ...(allow.ports ?? []).map(String)].join(', ');
}

const DEVICE_FILE = /^\/dev\/(?:usb\/)?lp\d{1,3}$/;
const SERIAL_TTY = /^\/dev\/tty[A-Za-z0-9._-]+$/;
const SERIAL_BY = /^\/dev\/serial\/[A-Za-z0-9_:+@=,-][A-Za-z0-9._:+@=,-]*(?:\/[A-Za-z0-9_:+@=,-][A-Za-z0-9._:+@=,-]*)*$/;
const COM_PORT = /^COM[1-9]\d{0,2}$/i;

export function deviceFileAllowed(path: string): boolean {
  return DEVICE_FILE.test(path);
}

/** A serial port a printer or scanner may be on: /dev/tty*, /dev/serial/… (no "." or ".." parts), COMn, or one IT listed. */
export function serialPathAllowed(path: string, allow: PrinterAllowance = {}): boolean {
  if ((allow.serialPaths ?? []).includes(path)) return true;
  return SERIAL_TTY.test(path) || SERIAL_BY.test(path) || COM_PORT.test(path);
}

export type PrinterTargetLike =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string }
  | { kind: 'file'; path: string };

/** Why this printer target is refused, or null when the desk may use it. */
export function refusalOf(target: PrinterTargetLike, allow: PrinterAllowance = {}): AddressRefusal | null {
  if (target.kind === 'file') return deviceFileAllowed(target.path) ? null : 'device';
  if (target.kind === 'serial') return serialPathAllowed(target.path, allow) ? null : 'serial';
  const cls = classifyHost(target.host);
  if (cls === 'notIp' || cls === 'linkLocal' || cls === 'outsideLan' || cls === 'mapped') return cls;
  return printerPortAllowed(target.port, allow) ? null : 'port';
}
