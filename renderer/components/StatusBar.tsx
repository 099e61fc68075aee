// The status bar: printer, scanner (and the serial scanner's link), HQ
// online/offline and what waits to sync — always in view.
import { useTranslation } from 'react-i18next';
import { useDesk } from '../desk';
import { pick } from '../i18n';
import { formatTime } from '../format';

export function StatusBar() {
  const { t } = useTranslation();
  const { status, linkUp, lastScanAt, lang } = useDesk();
  if (!linkUp) {
    return (
      <footer className="statusbar bad" data-testid="statusbar">
        <span>{t('ui.status.disconnected')}</span>
      </footer>
    );
  }
  if (!status) {
    return (
      <footer className="statusbar" data-testid="statusbar">
        {t('ui.common.loading')}
      </footer>
    );
  }
  // The serial scanner has its own pill; "not set up" is plain (most desks use a wedge scanner).
  const serial = status.scanner?.serial;
  const serialClass = serial?.state === 'connected' ? 'pill ok' : serial?.state === 'not-configured' ? 'pill plain' : 'pill warn';
  const printerOk = status.printer.state === 'ready' || status.printer.state === 'paper-low';
  const printerText =
    status.printer.state === 'not-configured' ? t('ui.status.printerNotConfigured') : t(`printerState.${status.printer.state}`);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={printerOk ? 'pill ok' : 'pill warn'} data-testid="status-printer">
        {t('ui.status.printer')}: {printerText}
        {status.printer.unprinted > 0 && ` · ${t('ui.status.unprinted', { n: status.printer.unprinted })}`}
      </span>
      <span className="pill ok" data-testid="status-scanner">
        {t('ui.status.scanner')}: {lastScanAt === null ? t('ui.status.scannerReady') : t('ui.status.scannerLast', { time: formatTime(lastScanAt, status.tz) })}
      </span>
      {serial && (
        <span className={serialClass} data-testid="status-serial" data-state={serial.state}>
          {t('ui.status.serial')}: {t(`ui.status.serialState.${serial.state}`, { port: serial.port ?? '', error: serial.error ?? '' })}
        </span>
      )}
      <span className={status.hq.online ? 'pill ok' : 'pill warn'} data-testid="status-hq">
        {t('ui.status.hq')}: {status.hq.online ? t('ui.status.online') : t('ui.status.offline')}
      </span>
      {status.hq.clockSkewWarning && status.hq.clockSkewMs !== null && (
        <span className="pill warn" data-testid="status-clock" title={t('ui.status.clockSkewHint')}>
          {t('ui.status.clockSkew', { minutes: Math.round(Math.abs(status.hq.clockSkewMs) / 60_000) })}
        </span>
      )}
      <span className={status.pendingSync > 0 ? 'pill warn' : 'pill ok'} data-testid="status-pending">
        {t('ui.status.pending', { n: status.pendingSync })}
      </span>
      <span className="pill plain">{t('ui.status.store', { store: pick(status.storeName, lang) || status.storeId, terminal: status.terminalId })}</span>
    </footer>
  );
}
