// Boot: pick the transport (Electron bridge or the web host), learn the session (language, who is
// signed in), then show the desk — or setup, when this window was opened on a terminal not set up yet.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Lang, SetupState, SignedInStaff, WedgeSettings } from '../src/contract/terminalApi';
import { pickClient } from './api/bridge';
import { httpClient } from './api/http';
import { App } from './App';
import { DeskProvider } from './desk';
import { initI18n } from './i18n';
import { SetupWizard } from './setup/SetupWizard';

async function boot(): Promise<void> {
  const client = pickClient(() => httpClient());
  let lang: Lang = 'zh-CN';
  let staff: SignedInStaff | null = null;
  let wedge: WedgeSettings = { enabled: true, maxInterKeyMs: 35, minLength: 8 };
  let setup: SetupState | null = null;
  try {
    const session = await client.call('session.current', {});
    if (session.ok) {
      lang = session.value.lang;
      staff = session.value.staff;
      wedge = session.value.wedge;
    }
    // Only a setup session answers this without a PIN (docs/setup.md); a desk window gets NOT_SIGNED_IN.
    const state = await client.call('setup.state', {});
    if (state.ok && state.value.session === 'setup') setup = state.value;
  } catch {
    // The status bar says the service is unreachable; the sign-in screen still shows.
  }
  initI18n(lang);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <DeskProvider client={client} initialLang={lang} initialStaff={staff} wedge={wedge}>
        {/* Setup done: the page starts again as the desk, with the desk's own settings. */}
        {setup ? <SetupWizard initial={setup} onDone={() => window.location.reload()} /> : <App />}
      </DeskProvider>
    </StrictMode>,
  );
}

void boot();
