// 历史: the member's recent operations — this terminal's, and other stores' and terminals' when HQ
// answered in time (else the offline line says so). A purchase made here that can still come back
// offers 退货 (the second tap); another terminal's purchase says it is returned where it was bought.
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../src/contract/terminalApi';
import { Empty, ErrorNote, Loading } from '../components/Notice';
import { ScrollPanel } from '../components/ScrollPanel';
import { useDesk, useLoad } from '../desk';
import { formatDate, formatPoints, formatYuan } from '../format';
import { pick } from '../i18n';
import { moneyFacts } from './money';

export function HistoryScreen(props: { memberId: string; onReturn(opId: string): void; onBack(): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const history = useLoad(() => call('member.history', { memberId: props.memberId }), [props.memberId]);
  const h = history.value;
  return (
    <main className="screen history" data-screen="history">
      <div className="screen-head">
        <h1>{t('ui.history.title')}</h1>
        <button type="button" className="secondary big" onClick={props.onBack} data-testid="history-back">
          {t('ui.common.back')}
        </button>
      </div>
      {history.loading && !h && <Loading />}
      <ErrorNote message={history.error} onRetry={history.reload} />
      {h && (
        <p className={h.offline ? 'note warn' : 'sub'} data-testid="history-source" data-source={h.source} role="status">
          {h.offline ? t(`ui.history.offline.${h.offline.reason}`) : t('ui.history.withHq', { days: h.days })}
        </p>
      )}
      {h && h.entries.length === 0 && <Empty>{t('ui.history.empty', { days: h.days })}</Empty>}
      {h && h.entries.length > 0 && (
        <ScrollPanel as="ul" className="op-list history-list" testId="history-list">
          {h.entries.map((e) => (
            <HistoryRow key={e.opId} entry={e} onReturn={() => props.onReturn(e.opId)} />
          ))}
        </ScrollPanel>
      )}
    </main>
  );
}

function HistoryRow(props: { entry: HistoryEntry; onReturn(): void }) {
  const { t } = useTranslation();
  const { lang, status } = useDesk();
  const e = props.entry;
  const tz = status?.tz ?? 'Asia/Shanghai';
  const store = e.here ? t('ui.history.thisTerminal') : e.storeName ? t('ui.history.otherTerminal', { store: pick(e.storeName, lang) }) : t('ui.history.otherStore', { store: e.storeId });
  // One sum in the column, named for what it is: the purchase (or the part returned) first, else what
  // the gift or benefit is worth — an exchange's ¥39.00 under a bare 金额 read as money paid.
  const money = moneyFacts(e)[0] ?? null;
  return (
    <li className={e.voided ? 'op history-voided' : 'op'} data-testid={`history-${e.opId}`} data-here={e.here}>
      <dl className="history-facts">
        <div>
          <dt>{t('ui.history.date')}</dt>
          <dd>{formatDate(e.at, tz)}</dd>
        </div>
        <div>
          <dt>{t('ui.history.kind')}</dt>
          <dd>
            {t(`opKind.${e.kind}`)}
            {e.subject && ` · ${pick(e.subject, lang)}`}
          </dd>
        </div>
        <div>
          <dt>{t('ui.history.points')}</dt>
          <dd>{e.points === 0 ? '—' : `${e.points > 0 ? '+' : ''}${formatPoints(e.points)}`}</dd>
        </div>
        <div>
          <dt>{money ? t(money.key) : t('ui.history.amount')}</dt>
          <dd data-testid="history-money" data-is={money?.is ?? 'none'}>
            {money === null ? '—' : formatYuan(money.fen)}
          </dd>
        </div>
        <div>
          <dt>{t('ui.history.store')}</dt>
          <dd data-testid="history-store">{store}</dd>
        </div>
      </dl>
      <div className="history-state">
        {e.voided && <span className="chip">{t('ui.history.voided')}</span>}
        {e.returnedFen > 0 && <span className="chip">{t('ui.history.returned', { amount: formatYuan(e.returnedFen) })}</span>}
        {e.hq === 'refused' && <span className="chip warn">{t('ui.history.hqRefused')}</span>}
        {e.pendingSync && <span className="chip">{t('ui.history.notSynced')}</span>}
        {e.kind === 'earn' && !e.voided && !e.here && <span className="sub" data-testid="history-return-elsewhere">{t('ui.history.returnElsewhere')}</span>}
      </div>
      <div className="history-action">
        {e.returnable && (
          <button type="button" className="primary" onClick={props.onReturn} data-testid="history-return">
            {t('ui.history.returnIt')}
          </button>
        )}
      </div>
    </li>
  );
}
