// Boot: pick the transport (Electron bridge or the web host), learn the session (language, who is
// signed in), then show the desk.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Lang, SignedInStaff, WedgeSettings } from '../src/contract/terminalApi';
import { pickClient } from './api/bridge';
import { httpClient } from './api/http';
import { App } from './App';
import { DeskProvider } from './desk';
import { initI18n } from './i18n';

async function boot(): Promise<void> {
  const client = pickClient(() => httpClient());
  let lang: Lang = 'zh-CN';
  let staff: SignedInStaff | null = null;
  let wedge: WedgeSettings = { enabled: true, maxInterKeyMs: 35, minLength: 8 };
  try {
    const session = await client.call('session.current', {});
    if (session.ok) {
      lang = session.value.lang;
      staff = session.value.staff;
      wedge = session.value.wedge;
    }
  } catch {
    // The status bar says the service is unreachable; the sign-in screen still shows.
  }
  initI18n(lang);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <DeskProvider client={client} initialLang={lang} initialStaff={staff} wedge={wedge}>
        <App />
      </DeskProvider>
    </StrictMode>,
  );
}

void boot();
