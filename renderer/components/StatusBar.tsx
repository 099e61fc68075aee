// The status bar: printer, scanner (and the serial scanner's link), HQ
// online/offline and what waits to sync — always in view.
import { useTranslation } from 'react-i18next';
import { useDesk } from '../desk';
import { pick } from '../i18n';
import { formatPoints, formatTime } from '../format';

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
  const printerLine = `${t('ui.status.pair', { label: t('ui.status.printer'), value: printerText })}${status.printer.unprinted > 0 ? ` · ${t('ui.status.unprinted', { n: status.printer.unprinted })}` : ''}`;
  const scannerLine = t('ui.status.pair', { label: t('ui.status.scanner'), value: lastScanAt === null ? t('ui.status.scannerReady') : t('ui.status.scannerLast', { time: formatTime(lastScanAt, status.tz) }) });
  const clock = status.hq.clockSkewWarning && status.hq.clockSkewMs !== null ? t('ui.status.clockSkew', { minutes: Math.round(Math.abs(status.hq.clockSkewMs) / 60_000) }) : null;
  // Every pill whole: the bar wraps to a second line when they do not fit one (styles.css).
  return (
    <footer className="statusbar" data-testid="statusbar">
      <Pill className={printerOk ? 'pill ok' : 'pill warn'} testId="status-printer" text={printerLine} />
      <Pill className="pill ok" testId="status-scanner" text={scannerLine} />
      {serial && (
        <Pill
          className={serialClass}
          testId="status-serial"
          state={serial.state}
          text={t('ui.status.pair', { label: t('ui.status.serial'), value: t(`ui.status.serialState.${serial.state}`, { port: serial.port ?? '', error: serial.error ?? '' }) })}
        />
      )}
      <Pill className={status.hq.online ? 'pill ok' : 'pill warn'} testId="status-hq" text={t('ui.status.pair', { label: t('ui.status.hq'), value: status.hq.online ? t('ui.status.online') : t('ui.status.offline') })} />
      {clock !== null && <Pill className="pill warn" testId="status-clock" text={clock} title={`${clock}\n${t('ui.status.clockSkewHint')}`} />}
      {status.day.afterClose && <Pill className="pill warn" testId="status-day" text={t('ui.status.dayClosed', { date: status.day.date })} />}
      <Pill className={status.pendingSync > 0 ? 'pill warn' : 'pill ok'} testId="status-pending" text={t('ui.status.pending', { n: formatPoints(status.pendingSync) })} />
      <Pill className="pill plain store" testId="status-store" text={t('ui.status.store', { store: pick(status.storeName, lang) || status.storeId, terminal: status.terminalId })} />
    </footer>
  );
}

function Pill(props: { className: string; testId: string; text: string; title?: string; state?: string }) {
  return (
    <span className={props.className} data-testid={props.testId} data-state={props.state} title={props.title ?? props.text}>
      {props.text}
    </span>
  );
}
