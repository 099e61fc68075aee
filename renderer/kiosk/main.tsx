// The member kiosk's boot: learn the kiosk's settings (language, idle time, scanner, camera, slip
// printer) from the core, then show the attract screen. Nothing is kept in storage or history.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { KioskStatus } from '../../src/contract/kioskApi';
import { initI18n } from '../i18n';
import { kioskClient } from './client';
import { KioskApp } from './KioskApp';

const FALLBACK: KioskStatus = {
  lang: 'zh-CN',
  idleMs: 30_000,
  wedge: { enabled: true, maxInterKeyMs: 35, minLength: 8 },
  camera: { enabled: false, deviceId: null },
  slip: { available: false },
  storeName: null,
  tz: 'Asia/Shanghai',
};

async function boot(): Promise<void> {
  const client = kioskClient();
  const r = await client.call('kiosk.status', {});
  const status = r.ok ? r.value : FALLBACK;
  initI18n(status.lang);
  // A kiosk is touch only: no long-press menus, no dragging images out.
  window.addEventListener('contextmenu', (e) => e.preventDefault());
  window.addEventListener('dragstart', (e) => e.preventDefault());
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <KioskApp client={client} status={status} />
    </StrictMode>,
  );
}

void boot();
