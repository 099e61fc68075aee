// Device settings: the printer (with a test print and its live state), the scanner, the camera and
// the desk's language, saved to config.json by the core; the store's time zone and the offline
// risk limits shown as HQ set them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskSettings, Lang } from '../../src/contract/terminalApi';
import { ErrorNote, Loading, useProblemText, type Problem } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { formatPoints, formatYuan } from '../format';
import { LANGS } from '../i18n';

function Form(props: { settings: DeskSettings; onSaved(): void }) {
  const { t } = useTranslation();
  const { call, tr } = useDesk();
  const s = props.settings;
  const [printer, setPrinter] = useState(s.printer ?? '');
  const [wedge, setWedge] = useState(s.scanner.wedge);
  const [port, setPort] = useState(s.scanner.serial.port ?? '');
  const [baud, setBaud] = useState(s.scanner.serial.baud);
  const [camera, setCamera] = useState(s.scanner.camera.deviceId ?? '');
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [lang, setLang] = useState<Lang>(s.lang);
  // What the screen says is kept as keys and the core's codes and parameters, worded when drawn:
  // a language switch rewords it (as the desk's notes are).
  const [note, setNote] = useState<{ ok: true; key: string } | { ok: false; problem: Problem } | null>(null);
  const [state, setState] = useState<{ problem: Problem } | { state: string; error: { code: string; params: Record<string, string | number> } | null } | null>(null);
  const words = useProblemText();
  const stateText = (s: NonNullable<typeof state>): string => {
    if ('problem' in s) return words(s.problem);
    const sentence = t(`manager.settings.printerStateText.${s.state}`);
    return s.error ? `${sentence} ${tr.error(s.error.code, s.error.params)}` : sentence;
  };

  useEffect(() => {
    void navigator.mediaDevices?.enumerateDevices().then((d) => setCameras(d.filter((x) => x.kind === 'videoinput')), () => undefined);
  }, []);
  // The printer's state as a sentence (never the raw value), with the reason when it did not answer.
  const checkPrinter = async () => {
    const r = await call('manager.settings.printerStatus', printer.trim() ? { printer: printer.trim() } : {});
    if (!r.ok) return setState({ problem: r.error });
    setState({ state: r.value.state, error: r.value.error ? { code: r.value.error.code, params: r.value.error.params } : null });
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
    setNote(r.ok ? { ok: true, key: 'manager.settings.saved' } : { ok: false, problem: r.error });
    if (r.ok) props.onSaved();
  };
  const test = async () => {
    const r = await call('manager.settings.testPrint', printer.trim() ? { printer: printer.trim() } : {});
    setNote(r.ok ? { ok: true, key: 'manager.settings.testOk' } : { ok: false, problem: r.error });
  };
  const num = (v: string, fallback: number) => (/^\d{1,6}$/.test(v) ? Number(v) : fallback);

  // Two columns (printer, camera, language and Save | scanner and HQ's limits) so the whole tab, Save
  // included, fits a 1024×768 window.
  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="settings-col">
        <label className="field">
          <span className="field-label">{t('manager.settings.printer')}</span>
          <input value={printer} placeholder={t('manager.settings.printerHint')} onChange={(e) => setPrinter(e.target.value)} data-testid="settings-printer" />
        </label>
        <div className="printer-state">
          <span className="muted">{t('manager.settings.status')}</span>
          <span data-testid="settings-printer-state" role="status">
            {state ? stateText(state) : t('manager.settings.checking')}
          </span>
          <div className="manager-actions">
            <button type="button" onClick={() => void checkPrinter()}>
              {t('manager.settings.refresh')}
            </button>
            <button type="button" onClick={() => void test()} data-testid="settings-test-print">
              {t('manager.settings.test')}
            </button>
          </div>
        </div>
        <label className="field">
          <span className="field-label">{t('manager.settings.camera')}</span>
          <select value={camera} onChange={(e) => setCamera(e.target.value)}>
            <option value="">{t('manager.settings.cameraDefault')}</option>
            {cameras.map((c) => (
              <option key={c.deviceId} value={c.deviceId}>
                {c.label || c.deviceId.slice(0, 12)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('manager.settings.lang')}</span>
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
        {note && (note.ok ? <div className="note ok" data-testid="settings-note">{t(note.key)}</div> : <ErrorNote message={note.problem} />)}
      </div>
      <div className="settings-col">
        <fieldset className="settings-scanner">
          <legend>{t('manager.settings.scanner')}</legend>
          <label className="check">
            <input type="checkbox" checked={wedge.enabled} onChange={(e) => setWedge({ ...wedge, enabled: e.target.checked })} /> {t('manager.settings.wedgeEnabled')}
          </label>
          {/* Labels above their boxes, two to a row: a label beside a far-off box ("Baud" …… [9600]) reads apart. */}
          <div className="field-grid">
            <label className="field">
              <span className="field-label">{t('manager.settings.maxInterKeyMs')}</span>
              <input inputMode="numeric" value={wedge.maxInterKeyMs} onChange={(e) => setWedge({ ...wedge, maxInterKeyMs: num(e.target.value, wedge.maxInterKeyMs) })} />
            </label>
            <label className="field">
              <span className="field-label">{t('manager.settings.minLength')}</span>
              <input inputMode="numeric" value={wedge.minLength} onChange={(e) => setWedge({ ...wedge, minLength: num(e.target.value, wedge.minLength) })} />
            </label>
            <label className="field">
              <span className="field-label">{t('manager.settings.serialPort')}</span>
              <input value={port} placeholder="/dev/ttyACM0" onChange={(e) => setPort(e.target.value)} />
            </label>
            <label className="field">
              <span className="field-label">{t('manager.settings.baud')}</span>
              <input inputMode="numeric" value={baud} onChange={(e) => setBaud(num(e.target.value, baud))} />
            </label>
          </div>
        </fieldset>
        <dl className="readonly">
          <dt>{t('manager.settings.tz')}</dt>
          <dd data-testid="settings-tz">{s.tz}</dd>
          <dt>{t('manager.settings.offline')}</dt>
          <dd>
            <dl className="limits">
              <dt>{t('manager.settings.maxValuePerRedemption')}</dt>
              <dd>{formatYuan(s.offlineLimits.maxValuePerRedemptionFen)}</dd>
              <dt>{t('manager.settings.maxUnsyncedValue')}</dt>
              <dd>{formatYuan(s.offlineLimits.maxUnsyncedValueFen)}</dd>
              <dt>{t('manager.settings.maxPointsBurned')}</dt>
              <dd>{formatPoints(s.offlineLimits.maxPointsBurnedPerMember)}</dd>
              <dt>{t('manager.settings.maxHoursSinceSync')}</dt>
              <dd>{s.offlineLimits.maxHoursSinceSync}</dd>
            </dl>
          </dd>
        </dl>
      </div>
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
