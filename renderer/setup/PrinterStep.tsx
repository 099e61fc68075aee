// Setup's printer step: a network printer (IP and port), a serial port from those this PC has, or a
// USB device file; saved through setup.printer (held to the manager settings' rule, docs/security.md)
// with the printer's state, and a test print.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrinterCheck } from '../../src/contract/terminalApi';
import { ErrorNote, useProblemText, type Problem } from '../components/Notice';
import { useDesk } from '../desk';

type Kind = 'tcp' | 'serial' | 'file';
const KINDS: Kind[] = ['tcp', 'serial', 'file'];
const BAUDS = [9600, 19200, 38400, 57600, 115200];

/** The fields of an address already saved, so the step opens on what is set. */
function fieldsOf(uri: string | null): { kind: Kind; host: string; port: string; serial: string; baud: number; device: string } {
  const base = { kind: 'tcp' as Kind, host: '', port: '9100', serial: '', baud: 9600, device: '/dev/usb/lp0' };
  if (!uri) return base;
  const tcp = /^tcp:\/\/([^:/?]+)(?::(\d+))?/.exec(uri);
  if (tcp) return { ...base, host: tcp[1]!, port: tcp[2] ?? '9100' };
  const serial = /^serial:([^?]+)(?:\?.*baud=(\d+))?/.exec(uri);
  if (serial) return { ...base, kind: 'serial', serial: serial[1]!, baud: Number(serial[2] ?? 9600) };
  return { ...base, kind: 'file', device: uri.replace(/^file:/, '') };
}

export function PrinterStep(props: { current: string | null }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const [f, setF] = useState(() => fieldsOf(props.current));
  const [ports, setPorts] = useState<{ path: string; label: string | null }[] | null>(null);
  const [check, setCheck] = useState<PrinterCheck | null>(null);
  // Kept as what to say (the test print's facts, the core's refusal), worded when drawn: the language switch rewords it.
  const [note, setNote] = useState<{ bytes: number; state: string } | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const words = useProblemText();
  const [busy, setBusy] = useState(false);

  const listPorts = () => void call('setup.serialPorts', {}).then((r) => setPorts(r.ok ? r.value.ports : []));
  useEffect(listPorts, [call]);

  const uri = f.kind === 'tcp' ? `tcp://${f.host.trim()}:${f.port.trim()}` : f.kind === 'serial' ? `serial:${f.serial}?baud=${f.baud}` : f.device.trim();
  const stateText = (c: PrinterCheck) => (c.error ? words(c.error) : t(`manager.settings.printerStateText.${c.state}`));

  const save = async () => {
    setBusy(true);
    setError(null);
    setNote(null);
    const r = await call('setup.printer', { printer: uri });
    setBusy(false);
    if (r.ok) setCheck(r.value);
    else setError(r.error);
  };
  const testPrint = async () => {
    setBusy(true);
    setError(null);
    const r = await call('setup.testPrint', {});
    setBusy(false);
    if (r.ok) setNote({ bytes: r.value.bytes, state: r.value.printerState });
    else setError(r.error);
  };

  return (
    <>
      <p className="big-text">{t('setup.printer.prompt')}</p>
      <div className="setup-kinds" role="radiogroup">
        {KINDS.map((k) => (
          <button key={k} role="radio" aria-checked={f.kind === k} className={f.kind === k ? 'primary' : 'secondary'} onClick={() => setF({ ...f, kind: k })} data-testid={`setup-printer-${k}`}>
            {t(`setup.printer.kind.${k}`)}
          </button>
        ))}
      </div>
      <div className="setup-form">
        {f.kind === 'tcp' && (
          <>
            <label>
              {t('setup.printer.host')}
              <input value={f.host} onChange={(e) => setF({ ...f, host: e.target.value })} placeholder="192.168.1.50" inputMode="decimal" data-testid="setup-printer-host" />
            </label>
            <label className="narrow">
              {t('setup.printer.port')}
              <input value={f.port} onChange={(e) => setF({ ...f, port: e.target.value })} inputMode="numeric" data-testid="setup-printer-port" />
            </label>
          </>
        )}
        {f.kind === 'serial' && (
          <>
            <label>
              {t('setup.printer.serialPort')}
              <select value={f.serial} onChange={(e) => setF({ ...f, serial: e.target.value })} data-testid="setup-printer-serial">
                <option value="">—</option>
                {(ports ?? []).map((p) => (
                  <option key={p.path} value={p.path}>
                    {p.label ? `${p.path} (${p.label})` : p.path}
                  </option>
                ))}
              </select>
            </label>
            <label className="narrow">
              {t('setup.printer.baud')}
              <select value={f.baud} onChange={(e) => setF({ ...f, baud: Number(e.target.value) })}>
                {BAUDS.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </label>
            {ports !== null && ports.length === 0 && <p className="hint">{t('setup.printer.noPorts')}</p>}
            <button className="secondary" onClick={listPorts}>
              {t('setup.printer.refreshPorts')}
            </button>
          </>
        )}
        {f.kind === 'file' && (
          <label>
            {t('setup.printer.device')}
            <input value={f.device} onChange={(e) => setF({ ...f, device: e.target.value })} spellCheck={false} data-testid="setup-printer-device" />
          </label>
        )}
      </div>
      <div className="setup-actions">
        <button className="primary big" disabled={busy} onClick={() => void save()} data-testid="setup-printer-save">
          {t('setup.printer.save')}
        </button>
        <button className="secondary big" disabled={busy || check === null || check.uri === null} onClick={() => void testPrint()} data-testid="setup-printer-test">
          {t('setup.printer.test')}
        </button>
      </div>
      {check && (
        <p className="note" role="status" data-testid="setup-printer-state" data-state={check.state}>
          {t('setup.printer.state', { state: stateText(check) })}
        </p>
      )}
      {note && (
        <p className="note ok" role="status" data-testid="setup-printer-printed">
          {t('setup.printer.printed', { bytes: note.bytes, state: t(`manager.settings.printerStateText.${note.state}`) })}
        </p>
      )}
      <ErrorNote message={error} />
    </>
  );
}
