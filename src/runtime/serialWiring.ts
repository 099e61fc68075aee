// The scanners a host runs from config.json scanner: the serial scanner the store configured (its
// lines go to the UI as scan events, which submit them through the session's one scan path like a
// wedge burst) and the camera the UI should open. Desk and kiosk hosts share this wiring.
import type { DeskEvent, ScannerStatus, SerialScannerState } from '../contract/terminalApi';
import { SerialScanner, type SerialStatus } from '../scan/serialScanner';
import { configStamp, readConfig, type DeskConfig } from '../terminal/operations/config';

export interface SerialWiring {
  status(): SerialStatus | null;
  stop(): Promise<void>;
}

export function startSerialScanner(
  serial: { port: string | null; baud: number } | undefined,
  publish: (event: DeskEvent) => void,
  onStatus?: (status: SerialStatus) => void,
): SerialWiring {
  if (!serial?.port) return { status: () => null, stop: async () => {} };
  const scanner = new SerialScanner({
    port: serial.port,
    baud: serial.baud,
    onCode: (code) => publish({ type: 'scan', code, source: 'serial' }),
    ...(onStatus ? { onStatus } : {}),
  });
  scanner.start();
  return { status: () => scanner.current, stop: () => scanner.stop() };
}

export interface ScannerWiring {
  /** For status.get: the serial scanner in the status bar's words and the camera to open. */
  status(): ScannerStatus;
  stop(): Promise<void>;
}

export interface ScannerWiringOptions {
  dataDir: string;
  /** A line from the serial scanner. */
  onCode(code: string): void;
  /** config.json is looked at again at most this often (ms) for the manager's changes. */
  recheckMs?: number;
  now?: () => number;
}

type ScannerConfig = DeskConfig['scanner'];
const NONE: ScannerConfig = { wedge: { enabled: true, maxInterKeyMs: 35, minLength: 8 }, serial: { port: null, baud: 9600 }, camera: { deviceId: null } };
const MAX_ERROR = 300;

/** The reader's states as staff read them: an unplug is "reconnecting", a port never opened is an error. */
export function serialState(s: SerialStatus | null, wasOpen: boolean): SerialScannerState {
  if (!s) return 'not-configured';
  if (s.state === 'open') return 'connected';
  if (wasOpen) return 'reconnecting';
  return s.attempts === 0 ? 'connecting' : 'error';
}

/**
 * Starts the configured serial scanner and follows config.json: the manager's settings screen writes
 * it (src/terminal/manager/settings.ts), so a new port or camera applies without a restart. A file
 * that fails its schema keeps the last good settings (the settings screen never writes one).
 */
export function startScannerWiring(o: ScannerWiringOptions): ScannerWiring {
  const now = o.now ?? Date.now;
  const recheckMs = o.recheckMs ?? 500;
  let stamp = '';
  let checkedAt = -Infinity;
  let config: ScannerConfig = NONE;
  let wasOpen = false;
  let serial: SerialWiring = { status: () => null, stop: async () => {} };
  let restarting: Promise<void> = Promise.resolve();
  let stopped = false;

  const publish = (e: DeskEvent) => {
    if (e.type === 'scan') o.onCode(e.code);
  };
  const startSerial = () => {
    wasOpen = false;
    serial = startSerialScanner(config.serial, publish, (s) => {
      if (s.state === 'open') wasOpen = true;
    });
  };

  const reread = (): void => {
    checkedAt = now();
    const next = configStamp(o.dataDir);
    if (next === stamp) return;
    stamp = next;
    let read: ScannerConfig;
    try {
      read = readConfig(o.dataDir)?.scanner ?? NONE;
    } catch {
      return;
    }
    const serialChanged = JSON.stringify(read.serial) !== JSON.stringify(config.serial);
    config = read;
    if (!serialChanged || stopped) return;
    const old = serial;
    serial = { status: () => null, stop: async () => {} };
    // The old port is closed before the new one opens (it may be the same device under a new baud).
    restarting = restarting.then(async () => {
      await old.stop();
      if (!stopped) startSerial();
    });
  };

  reread();
  return {
    status() {
      if (now() - checkedAt >= recheckMs) reread();
      const s = serial.status();
      const port = config.serial.port?.slice(0, 300) ?? null;
      return {
        camera: { deviceId: config.camera.deviceId ? config.camera.deviceId.slice(0, 300) : null },
        serial: {
          state: port === null ? 'not-configured' : s === null ? 'connecting' : serialState(s, wasOpen),
          port,
          attempts: s?.attempts ?? 0,
          error: s?.state === 'open' ? null : (s?.error?.slice(0, MAX_ERROR) ?? null),
        },
      };
    },
    async stop() {
      stopped = true;
      await restarting;
      await serial.stop();
    },
  };
}
