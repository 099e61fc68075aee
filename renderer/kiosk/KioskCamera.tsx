// The viewfinder on the attract screen, when the kiosk has a camera configured (kiosk.json camera):
// always on, the scanning work's CameraScanner (renderer/scan) on a <video>. Nobody stands at a
// kiosk to press retry: when the camera cannot scan (none plugged in, another program holding it, a
// decoder that failed to load), it is tried again every KIOSK_CAMERA_RETRY_MS until it can. An
// unplugged camera the scanner itself watches for ('camera-lost').
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraScanner, type CameraStatus } from '../scan/cameraScanner';

/** How long after the camera could not scan the kiosk tries it again. */
export const KIOSK_CAMERA_RETRY_MS = 30_000;

export function KioskCamera(props: { deviceId: string | null; onCode(code: string): void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;
  const [status, setStatus] = useState<CameraStatus>({ state: 'idle' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!video.current) return;
    const s = new CameraScanner({ video: video.current, deviceId: props.deviceId, onCode: (c) => onCode.current(c), onStatus: setStatus });
    void s.start();
    return () => s.stop();
  }, [props.deviceId, attempt]);

  const bad = !['idle', 'starting', 'scanning'].includes(status.state);
  const retry = bad && status.state !== 'camera-lost';
  useEffect(() => {
    if (!retry) return;
    const timer = setTimeout(() => setAttempt((n) => n + 1), KIOSK_CAMERA_RETRY_MS);
    return () => clearTimeout(timer);
  }, [retry, attempt]);
  return (
    <section className="k-camera" data-testid="kiosk-camera">
      <p className="k-camera-title">{t('kiosk.attract.camera')}</p>
      <video ref={video} className="k-viewfinder" muted playsInline autoPlay />
      {bad && (
        <p className="k-camera-state" role="status" data-state={status.state}>
          {t(`ui.camera.state.${status.state}`, { detail: status.detail ?? '' })}
        </p>
      )}
    </section>
  );
}
