// The serial scanner the store configured (config.json scanner.serial): its lines go to the UI as
// scan events, which submit them through the session's one scan path (scan.submit) like a wedge burst.
import { SerialScanner, type SerialStatus } from '../scan/serialScanner';
import type { DeskEvent } from '../contract/terminalApi';

export interface SerialWiring {
  status(): SerialStatus | null;
  stop(): Promise<void>;
}

export function startSerialScanner(
  serial: { port: string | null; baud: number } | undefined,
  publish: (event: DeskEvent) => void,
): SerialWiring {
  if (!serial?.port) return { status: () => null, stop: async () => {} };
  const scanner = new SerialScanner({
    port: serial.port,
    baud: serial.baud,
    onCode: (code) => publish({ type: 'scan', code, source: 'serial' }),
  });
  scanner.start();
  return { status: () => scanner.current, stop: () => scanner.stop() };
}
