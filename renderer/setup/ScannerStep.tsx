// Setup's scanner step: scan anything and see what the desk read, and from where — the keyboard
// scanner (the desk's own burst detector, with config.json's thresholds), the serial scanner the
// host reads, or the camera. Nothing is looked up: this only shows the scanner works.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraView } from '../components/CameraView';
import { useDesk } from '../desk';
import { attachWedge, WedgeDetector } from '../scan/wedgeDetector';

type Source = 'wedge' | 'serial' | 'camera';

export function ScannerStep() {
  const { t } = useTranslation();
  const { call, onEvent, claimScans, wedge: bootWedge } = useDesk();
  const [read, setRead] = useState<{ code: string; source: Source } | null>(null);
  const [wedge, setWedge] = useState(bootWedge);

  // The desk opened at enrollment: its thresholds are config.json's now, not the ones at boot.
  useEffect(() => {
    void call('session.current', {}).then((r) => r.ok && setWedge(r.value.wedge));
  }, [call]);
  useEffect(() => {
    if (!wedge.enabled) return;
    const detector = new WedgeDetector({ maxInterKeyMs: wedge.maxInterKeyMs, minLength: wedge.minLength });
    return attachWedge(window, detector, (code) => setRead({ code, source: 'wedge' }));
  }, [wedge]);
  useEffect(() => onEvent((e) => e.type === 'scan' && e.source === 'serial' && setRead({ code: e.code, source: 'serial' })), [onEvent]);
  // Inside the desk (the manager area), the desk's own scanner handling hands scans here instead of
  // looking them up; on the setup screen there is none and the detector above reads them.
  useEffect(() => claimScans((code, source) => setRead({ code, source })), [claimScans]);

  return (
    <>
      <p className="big-text">{t('setup.scanner.prompt')}</p>
      <div className="note setup-read" role="status" data-testid="setup-scan-read" data-source={read?.source ?? ''}>
        {read ? (
          <>
            <span>{t('setup.scanner.read', { length: read.code.length, source: t(`setup.scanner.source.${read.source}`) })}</span>
            <code data-testid="setup-scan-code">{read.code}</code>
          </>
        ) : (
          <span>{t('setup.scanner.waiting')}</span>
        )}
      </div>
      <CameraView onCode={(code) => setRead({ code, source: 'camera' })} />
    </>
  );
}
