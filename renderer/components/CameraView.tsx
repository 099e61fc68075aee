// The camera viewfinder: the scanning work's CameraScanner (renderer/scan/) on a <video>, started
// by staff when they want it, with its state said in words (no camera, not allowed, busy, …). It
// opens the camera chosen in the settings (config.json scanner.camera.deviceId, carried by the
// desk status); when that camera is missing it says so and uses the default one.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../desk';
import { CameraScanner, type CameraStatus } from '../scan/cameraScanner';

export function CameraView(props: { onCode(code: string): void; /** Overrides the settings' camera. */ deviceId?: string | null }) {
  const { t } = useTranslation();
  const { status: desk } = useDesk();
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<CameraScanner | null>(null);
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;
  const [on, setOn] = useState(false);
  const [status, setStatus] = useState<CameraStatus>({ state: 'idle' });
  // The settings arrive with the first status; the camera waits for them rather than open the wrong one.
  const known = desk !== null;
  const deviceId = props.deviceId ?? desk?.scanner?.camera.deviceId ?? null;

  useEffect(() => {
    if (!on || !known || !video.current) return;
    const s = new CameraScanner({ video: video.current, deviceId, onCode: (c) => onCode.current(c), onStatus: setStatus });
    scanner.current = s;
    void s.start();
    return () => {
      s.stop();
      scanner.current = null;
    };
  }, [on, known, deviceId]);

  const bad = !['idle', 'starting', 'scanning'].includes(status.state);
  return (
    <section className="camera" data-testid="camera">
      <button type="button" className="secondary big" onClick={() => setOn((v) => !v)} data-testid="camera-toggle">
        {on ? t('ui.camera.stop') : t('ui.camera.start')}
      </button>
      {on && (
        <>
          <video ref={video} className="viewfinder" muted playsInline autoPlay />
          <div className={bad ? 'note error' : 'note'} data-testid="camera-state" data-state={status.state} role="status">
            {t(`ui.camera.state.${status.state}`, { detail: status.detail ?? '' })}
          </div>
          {status.fallback && status.state === 'scanning' && (
            <div className="note" data-testid="camera-fallback" role="status">
              {t('ui.camera.fallback', { camera: status.camera ?? '' })}
            </div>
          )}
        </>
      )}
    </section>
  );
}
