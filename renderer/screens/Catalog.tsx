// The points catalog: what the member's points buy, greyed when they do not reach; one confirmation.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogItem, PointsOpResult } from '../../src/contract/terminalApi';
import { Dialog, Empty, ErrorNote, Loading, type Problem } from '../components/Notice';
import { ReceiptWhen, useConfirmLabel } from '../components/ReceiptWhen';
import { ScrollPanel } from '../components/ScrollPanel';
import { useDesk, useLoad } from '../desk';
import { formatPoints, formatYuan } from '../format';
import { pick } from '../i18n';

export function CatalogScreen(props: { memberId: string; onDone(r: PointsOpResult): void; onBack(): void }) {
  const { t } = useTranslation();
  const { call, lang } = useDesk();
  const items = useLoad(() => call('catalog.list', {}), []);
  const card = useLoad(() => call('member.card', { memberId: props.memberId }), [props.memberId]);
  const [chosen, setChosen] = useState<CatalogItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const balance = card.value?.points.balance ?? 0;
  const confirmLabel = useConfirmLabel('exchange');

  const exchange = async (item: CatalogItem) => {
    setBusy(true);
    setError(null);
    const r = await call('points.exchange', { memberId: props.memberId, itemId: item.id });
    setBusy(false);
    if (r.ok) props.onDone(r.value);
    else setError(r.error);
  };

  const list = items.value?.filter((i) => i.active) ?? [];
  return (
    <main className="screen catalog" data-screen="catalog">
      <div className="screen-head">
        <h1>{t('ui.catalog.title')}</h1>
        <button type="button" className="secondary big" onClick={props.onBack}>
          {t('ui.common.back')}
        </button>
      </div>
      <p className="big-text" data-testid="catalog-balance">
        {t('ui.catalog.balance', { points: formatPoints(balance) })}
      </p>
      {items.loading && <Loading />}
      <ErrorNote message={items.error ?? card.error} onRetry={() => (items.reload(), card.reload())} />
      {!items.loading && !items.error && list.length === 0 && <Empty>{t('ui.catalog.empty')}</Empty>}
      <ScrollPanel as="ul" className="catalog-grid">
        {list.map((item) => {
          const enough = balance >= item.pointsCost;
          return (
            <li key={item.id} className={enough ? 'catalog-item' : 'catalog-item refused'} data-testid={`item-${item.id}`}>
              <div className="benefit-name">{pick(item.name, lang)}</div>
              <div className="sub">
                {t('ui.common.points', { points: formatPoints(item.pointsCost) })} · {formatYuan(item.valueFen)}
              </div>
              {item.tiers.length > 0 && <div className="sub">{t('ui.catalog.tiers', { tiers: item.tiers.map((c) => t(`tier.${c}`)).join(' / ') })}</div>}
              <button type="button" className="primary big" disabled={!enough} onClick={() => setChosen(item)}>
                {enough ? t('ui.catalog.exchange') : t('ui.catalog.notEnough')}
              </button>
            </li>
          );
        })}
      </ScrollPanel>
      {chosen && (
        <Dialog
          title={t('ui.catalog.confirm', { name: pick(chosen.name, lang), points: formatPoints(chosen.pointsCost) })}
          testId="exchange-dialog"
          {...(busy ? {} : { onClose: () => (setChosen(null), setError(null)) })}
          actions={
            <>
              <button type="button" className="secondary big" onClick={() => (setChosen(null), setError(null))} disabled={busy}>
                {t('ui.common.cancel')}
              </button>
              {/* Focused when it opens: Enter confirms, as it does for a redemption and an earn. */}
              <button type="button" className="primary big" onClick={() => void exchange(chosen)} disabled={busy} data-testid="confirm-exchange" autoFocus>
                {busy ? t('ui.common.working') : confirmLabel}
              </button>
            </>
          }
        >
          <ReceiptWhen />
          <ErrorNote message={error} />
        </Dialog>
      )}
    </main>
  );
}
