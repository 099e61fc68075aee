// "Print my benefit slip": one tap; the core writes a print job and the print loop prints it. The
// button says printing / take your slip / why it could not print (then the slip is withdrawn, so it
// never comes out later for someone else).
import { useEffect, useRef, useState } from 'react';
import type { KioskPage } from '../../src/contract/kioskApi';
import type { Translator } from '../../src/i18n';
import type { KioskClient } from './client';

type SlipView = { state: 'idle' } | { state: 'printing' } | { state: 'printed' } | { state: 'failed'; message: string };

const POLL_MS = 300;
/** The core withdraws a slip after its own wait; the screen stops asking a little later. */
const MAX_POLLS = 120;

export function SlipButton(props: { client: KioskClient; page: KioskPage; tr: Translator }) {
  const { client, page, tr } = props;
  const [view, setView] = useState<SlipView>({ state: 'idle' });
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const print = async () => {
    setView({ state: 'printing' });
    const r = await client.call('kiosk.printSlip', { pageId: page.pageId });
    if (!live.current) return;
    if (!r.ok) {
      setView({ state: 'failed', message: r.error.code === 'KIOSK_SLIP_LIMIT' ? tr.t('kiosk.print.limit') : r.error.message || tr.t('kiosk.refusal.link') });
      return;
    }
    for (let i = 0; i < MAX_POLLS && live.current; i++) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (!live.current) return;
      const s = await client.call('kiosk.slipStatus', { pageId: page.pageId, slipId: r.value.slipId });
      if (!live.current) return;
      if (!s.ok) return setView({ state: 'failed', message: s.error.message || tr.t('kiosk.refusal.link') });
      if (s.value.state === 'printed') return setView({ state: 'printed' });
      if (s.value.state === 'failed') return setView({ state: 'failed', message: s.value.reason?.message ?? tr.t('kiosk.printer.other') });
    }
    if (live.current) setView({ state: 'failed', message: tr.t('kiosk.print.failed', { reason: tr.t('kiosk.printer.not-answering') }) });
  };

  return (
    <div className="k-slip">
      <button type="button" className="k-button secondary" disabled={view.state === 'printing'} onClick={() => void print()} data-testid="kiosk-print">
        {view.state === 'printing' ? tr.t('kiosk.print.printing') : tr.t('kiosk.page.print')}
      </button>
      {view.state === 'printed' && (
        <p className="k-slip-note ok" role="status" data-testid="kiosk-slip-state" data-state="printed">
          {tr.t('kiosk.print.printed')}
        </p>
      )}
      {view.state === 'failed' && (
        <p className="k-slip-note bad" role="alert" data-testid="kiosk-slip-state" data-state="failed">
          {view.message}
        </p>
      )}
    </div>
  );
}
