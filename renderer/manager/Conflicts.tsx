// What HQ decided about this store's offline operations: the member, the benefit, the two
// redemptions, HQ's decision and why (its reason in a sentence that says what to do, where there is
// something to do); the manager acknowledges each (audited by the core).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictOp } from '../../src/contract/terminalApi';
import { Empty, ErrorNote, Loading, type Problem } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { conflictReasonParams } from '../../src/i18n/format';
import { formatDateTime, formatYuan } from '../format';
import { pick } from '../i18n';

export function ConflictsTab() {
  const { t } = useTranslation();
  const { call, lang, status } = useDesk();
  const tz = status?.tz ?? 'Asia/Shanghai';
  const list = useLoad(() => call('manager.conflicts', {}), []);
  const [error, setError] = useState<Problem | null>(null);
  const ack = async (id: number) => {
    const r = await call('manager.ackConflict', { id });
    if (!r.ok) setError(r.error);
    list.reload();
  };
  // What the operation was: an earn's purchase amount and points, a redemption's value (an earn's value is ¥0.00).
  const op = (o: ConflictOp) =>
    t('manager.conflicts.opLine', {
      at: formatDateTime(o.at, tz),
      terminal: o.terminalId,
      kind: t(`opKind.${o.kind}`, { defaultValue: o.kind }),
      value: formatYuan(o.amountFen ?? o.valueFen),
      points: t('ui.common.points', { points: `${o.points > 0 ? '+' : ''}${o.points.toLocaleString('en-US')}` }),
    });
  // A name and its value, with the language's colon (full width in Chinese).
  const pair = (label: string, value: string) => t('ui.status.pair', { label, value });
  if (!list.value) return list.error ? <ErrorNote message={list.error} onRetry={list.reload} /> : <Loading />;
  return (
    <section className="manager-panel" data-testid="conflicts">
      <SetAsideList />
      <ErrorNote message={error} />
      {list.value.length === 0 && <Empty>{t('manager.conflicts.none')}</Empty>}
      <ul className="op-list">
        {list.value.map((c) => (
          <li key={c.id} className="op conflict" data-testid={`conflict-${c.id}`}>
            <strong>{t(`manager.conflictKind.${c.kind}`, { defaultValue: c.kind })}</strong>
            {c.reason && (
              <span className="conflict-reason" data-testid="conflict-reason" data-reason={c.reason.code} title={c.reason.key === 'unknown' ? c.reason.code : undefined}>
                {t(`manager.conflictReason.${c.reason.key}`, conflictReasonParams(c.reason.values))}
              </span>
            )}
            <span>
              {pair(t('manager.conflicts.member'), c.member.cardNo ? t('manager.conflicts.memberCard', { name: c.member.name ?? c.member.id, cardNo: c.member.cardNo }) : (c.member.name ?? c.member.id))}
            </span>
            {c.benefit && (
              <span>
                {pair(t('manager.conflicts.benefit'), pick(c.benefit.name, lang))}
              </span>
            )}
            {c.op && (
              <span data-testid="conflict-op">{pair(t('manager.conflicts.ours'), op(c.op))}</span>
            )}
            {c.others.map((o) => (
              <span key={o.opId}>{pair(t('manager.conflicts.others'), op(o))}</span>
            ))}
            <span>
              {pair(t('manager.conflicts.decision'), t(`manager.decision.${c.decision}`, { defaultValue: c.decision }))}
            </span>
            {c.acknowledged ? (
              <span className="muted" data-testid="conflict-acked">
                {t('manager.conflicts.acked', { at: formatDateTime(c.acknowledged.at, tz), by: c.acknowledged.by })}
              </span>
            ) : (
              <button type="button" onClick={() => void ack(c.id)} data-testid="conflict-ack">
                {t('manager.conflicts.ack')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

const ENTITIES = ['member', 'benefit', 'catalog', 'rules', 'key', 'revocation', 'staff', 'stock', 'store', 'conflict'];

/** Rows from HQ this terminal could not read (docs/authority.md "No poison"): shown only when there are some. */
function SetAsideList() {
  const { t } = useTranslation();
  const { call, status } = useDesk();
  const tz = status?.tz ?? 'Asia/Shanghai';
  const rows = useLoad(() => call('manager.setAside', {}), []);
  if (!rows.value || rows.value.length === 0) return null;
  return (
    <div className="note warn" data-testid="set-aside">
      <strong>{t('manager.setAside.title')}</strong>
      <p className="muted">{t('manager.setAside.explain')}</p>
      <ul className="op-list">
        {rows.value.map((r) => (
          <li key={r.id} data-testid={`set-aside-${r.id}`}>
            {t('manager.setAside.line', {
              at: formatDateTime(r.receivedAt, tz),
              entity: t(`manager.entity.${r.entity !== null && ENTITIES.includes(r.entity) ? r.entity : 'unknown'}`),
              id: r.entityId ?? '',
            })}
            {' · '}
            <span className="muted">{t(r.reported ? 'manager.setAside.reported' : 'manager.setAside.waiting')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
