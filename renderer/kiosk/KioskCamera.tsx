// The viewfinder on the attract screen, when the kiosk has a camera configured (kiosk.json camera):
// always on, the scanning work's CameraScanner (renderer/scan) on a <video>.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraScanner, type CameraStatus } from '../scan/cameraScanner';

export function KioskCamera(props: { deviceId: string | null; onCode(code: string): void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;
  const [status, setStatus] = useState<CameraStatus>({ state: 'idle' });

  useEffect(() => {
    if (!video.current) return;
    const s = new CameraScanner({ video: video.current, deviceId: props.deviceId, onCode: (c) => onCode.current(c), onStatus: setStatus });
    void s.start();
    return () => s.stop();
  }, [props.deviceId]);

  const bad = !['idle', 'starting', 'scanning'].includes(status.state);
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
