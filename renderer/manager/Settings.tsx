// Device settings: the printer (with a test print and its live state), the scanner, the camera and
// the desk's language, saved to config.json by the core; the store's time zone and the offline
// risk limits shown as HQ set them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskSettings, Lang } from '../../src/contract/terminalApi';
import { ErrorNote, Loading } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { formatYuan } from '../format';
import { LANGS } from '../i18n';

function Form(props: { settings: DeskSettings; onSaved(): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const s = props.settings;
  const [printer, setPrinter] = useState(s.printer ?? '');
  const [wedge, setWedge] = useState(s.scanner.wedge);
  const [port, setPort] = useState(s.scanner.serial.port ?? '');
  const [baud, setBaud] = useState(s.scanner.serial.baud);
  const [camera, setCamera] = useState(s.scanner.camera.deviceId ?? '');
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [lang, setLang] = useState<Lang>(s.lang);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [state, setState] = useState<string | null>(null);

  useEffect(() => {
    void navigator.mediaDevices?.enumerateDevices().then((d) => setCameras(d.filter((x) => x.kind === 'videoinput')), () => undefined);
  }, []);
  const checkPrinter = async () => {
    const r = await call('manager.settings.printerStatus', printer.trim() ? { printer: printer.trim() } : {});
    setState(r.ok ? (r.value.error ? `${t(`printerState.${r.value.state}`, { defaultValue: r.value.state })}` : t(`printerState.${r.value.state}`, { defaultValue: r.value.state })) : r.error.message);
  };
  useEffect(() => {
    void checkPrinter();
    const timer = setInterval(() => void checkPrinter(), 10_000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const save = async () => {
    const r = await call('manager.settings.set', {
      printer: printer.trim() === '' ? null : printer.trim(),
      scanner: { wedge, serial: { port: port.trim() === '' ? null : port.trim(), baud }, camera: { deviceId: camera === '' ? null : camera } },
      lang,
    });
    setNote(r.ok ? { ok: true, text: t('manager.settings.saved') } : { ok: false, text: r.error.message });
    if (r.ok) props.onSaved();
  };
  const test = async () => {
    const r = await call('manager.settings.testPrint', printer.trim() ? { printer: printer.trim() } : {});
    setNote(r.ok ? { ok: true, text: t('manager.settings.testOk') } : { ok: false, text: r.error.message });
  };
  const num = (v: string, fallback: number) => (/^\d{1,6}$/.test(v) ? Number(v) : fallback);

  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {note && (note.ok ? <div className="note ok" data-testid="settings-note">{note.text}</div> : <ErrorNote message={note.text} />)}
      <label>
        {t('manager.settings.printer')}
        <input value={printer} placeholder={t('manager.settings.printerHint')} onChange={(e) => setPrinter(e.target.value)} data-testid="settings-printer" />
      </label>
      <div className="manager-actions">
        <span data-testid="settings-printer-state">
          {t('manager.settings.status')}: {state ?? '…'}
        </span>
        <button type="button" onClick={() => void checkPrinter()}>
          {t('manager.settings.refresh')}
        </button>
        <button type="button" onClick={() => void test()} data-testid="settings-test-print">
          {t('manager.settings.test')}
        </button>
      </div>
      <fieldset>
        <legend>{t('manager.settings.scanner')}</legend>
        <label>
          <input type="checkbox" checked={wedge.enabled} onChange={(e) => setWedge({ ...wedge, enabled: e.target.checked })} /> {t('manager.settings.wedgeEnabled')}
        </label>
        <label>
          {t('manager.settings.maxInterKeyMs')} <input value={wedge.maxInterKeyMs} onChange={(e) => setWedge({ ...wedge, maxInterKeyMs: num(e.target.value, wedge.maxInterKeyMs) })} />
        </label>
        <label>
          {t('manager.settings.minLength')} <input value={wedge.minLength} onChange={(e) => setWedge({ ...wedge, minLength: num(e.target.value, wedge.minLength) })} />
        </label>
        <label>
          {t('manager.settings.serialPort')} <input value={port} placeholder="/dev/ttyACM0" onChange={(e) => setPort(e.target.value)} />
        </label>
        <label>
          {t('manager.settings.baud')} <input value={baud} onChange={(e) => setBaud(num(e.target.value, baud))} />
        </label>
      </fieldset>
      <label>
        {t('manager.settings.camera')}
        <select value={camera} onChange={(e) => setCamera(e.target.value)}>
          <option value="">{t('manager.settings.cameraDefault')}</option>
          {cameras.map((c) => (
            <option key={c.deviceId} value={c.deviceId}>
              {c.label || c.deviceId.slice(0, 12)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('manager.settings.lang')}
        <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
          {LANGS.map((l) => (
            <option key={l} value={l}>
              {t(`ui.lang.${l}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" data-testid="settings-save">
        {t('manager.settings.save')}
      </button>
      <dl className="readonly">
        <dt>{t('manager.settings.tz')}</dt>
        <dd data-testid="settings-tz">{s.tz}</dd>
        <dt>{t('manager.settings.offline')}</dt>
        <dd>
          {t('manager.settings.maxValuePerRedemption')}: {formatYuan(s.offlineLimits.maxValuePerRedemptionFen)} · {t('manager.settings.maxUnsyncedValue')}:{' '}
          {formatYuan(s.offlineLimits.maxUnsyncedValueFen)} · {t('manager.settings.maxPointsBurned')}: {s.offlineLimits.maxPointsBurnedPerMember} ·{' '}
          {t('manager.settings.maxHoursSinceSync')}: {s.offlineLimits.maxHoursSinceSync}
        </dd>
      </dl>
    </form>
  );
}

export function SettingsTab() {
  const { call } = useDesk();
  const settings = useLoad(() => call('manager.settings.get', {}), []);
  if (!settings.value) return settings.error ? <ErrorNote message={settings.error} onRetry={settings.reload} /> : <Loading />;
  return (
    <section className="manager-panel" data-testid="settings">
      <Form settings={settings.value} onSaved={settings.reload} />
    </section>
  );
}
