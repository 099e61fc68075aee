import type { PrinterSpec } from '../printerUri';
import { deviceTransport } from './device';
import { serialTransport } from './serial';
import { tcpTransport } from './tcp';
import type { Transport } from './transport';

export type { Transport } from './transport';

export function openTransportFor(spec: PrinterSpec): Transport {
  const t = spec.target;
  if (t.kind === 'tcp') return tcpTransport(spec.uri, t.host, t.port);
  if (t.kind === 'serial') return serialTransport(spec.uri, t.path, t.baud);
  return deviceTransport(spec.uri, t.path);
}
