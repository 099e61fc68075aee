// Today's operations at this terminal: reprint any receipt; void one with a manager's PIN. Sign-ups
// and lost-card replacements are listed to reprint their slips (they are not operations: no void).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang, RecentOperation, SlipKind, VoidResult } from '../../src/contract/terminalApi';
import { Dialog, Empty, ErrorNote, Loading, type Problem } from '../components/Notice';
import { ReprintNote } from '../components/ReceiptWhen';
import { PinPad } from '../components/PinPad';
import { ScrollPanel } from '../components/ScrollPanel';
import { useDesk, useLoad } from '../desk';
import { formatPoints, formatTime, formatYuan } from '../format';
import { pick } from '../i18n';
import { moneyFacts } from './money';

/** A sign-up's or lost-card replacement's slip: reprinted here, never voided (not an operation). */
// Spelled out here, not imported: the renderer takes only types from the contract (no zod in the bundle);
// the Record makes the compiler ask for every slip kind the contract adds.
const SLIPS: Record<SlipKind, true> = { memberJoined: true, cardReplaced: true };
const isSlip = (op: RecentOperation): boolean => op.kind in SLIPS;

/** What the void undoes, said for its kind: the points, the benefit or item, the money, and whose. */
function voidSentence(op: RecentOperation, t: (key: string, params: Record<string, string>) => string, lang: Lang): string {
  return t(`ui.ops.voidSays.${op.kind}`, {
    member: op.maskedName,
    points: formatPoints(Math.abs(op.points)),
    subject: op.subject ? pick(op.subject, lang) : t(`opKind.${op.kind}`, {}),
    value: formatYuan(op.valueFen),
  });
}

/** `memberId` is the voided operation's member: the receipt offers to go back to them only. */
export function OperationsScreen(props: { onVoided(r: VoidResult, memberId: string | null): void; onPreview(opId: string, memberId: string | null): void; onBack(): void }) {
  const { t } = useTranslation();
  const { call, lang, status, staff, onEvent } = useDesk();
  const ops = useLoad(() => call('operation.recent', { limit: 50 }), []);
  // Each receipt's print state follows the event stream (a receipt printed late shows as printed).
  const reload = ops.reload;
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => onEvent((e) => e.type === 'print' && reloadRef.current()), [onEvent]);
  const [voiding, setVoiding] = useState<RecentOperation | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: true; text: string } | { ok: false; text: Problem } | null>(null);
  // The 撤销 button that opened the dialog: Escape or 取消 puts focus back on it.
  const [opener, setOpener] = useState<HTMLElement | null>(null);
  const tz = status?.tz ?? 'Asia/Shanghai';
  // The business day operations are recorded under now: a row of another day says its own.
  const today = status?.day.date ?? null;
  const closeVoid = () => (setVoiding(null), setNote(null));

  const doVoid = async (op: RecentOperation, managerPin: string | undefined) => {
    setBusy(true);
    const r = await call('operation.void', { opId: op.opId, ...(managerPin ? { managerPin } : {}) });
    setBusy(false);
    if (r.ok) {
      setVoiding(null);
      props.onVoided(r.value, op.memberId);
    } else setNote({ ok: false, text: r.error });
  };
  const reprint = async (op: RecentOperation) => {
    const r = await call('receipt.reprint', { opId: op.opId });
    setNote(r.ok ? { ok: true, text: t(status?.printer.state === 'not-configured' ? 'ui.receipt.reprintQueued' : 'ui.receipt.reprinted') } : { ok: false, text: r.error });
    ops.reload();
  };

  const list = ops.value ?? [];
  return (
    <main className="screen ops" data-screen="operations">
      <div className="screen-head">
        <h1>{t('ui.ops.title')}</h1>
        <button type="button" className="secondary big" onClick={props.onBack}>
          {t('ui.common.back')}
        </button>
      </div>
      {note && !voiding && (note.ok ? <div className="note ok">{note.text}</div> : <ReprintNote problem={note.text} />)}
      {ops.loading && !ops.value && <Loading />}
      <ErrorNote message={ops.error} onRetry={ops.reload} />
      {ops.value && list.length === 0 && <Empty>{t('ui.ops.empty')}</Empty>}
      <ScrollPanel as="ul" className="op-list">
        {list.map((op) => (
          <li key={op.opId} className={op.voided ? 'op voided' : 'op'} data-testid={`op-${op.opId}`}>
            <span className="op-time">
              {formatTime(op.at, tz)}
              {today !== null && op.businessDate !== today && (
                <span className="chip op-day" data-testid="op-business-date">
                  {t('ui.ops.businessDate', { date: op.businessDate })}
                </span>
              )}
            </span>
            <span className="op-kind">{t(`opKind.${op.kind}`)}</span>
            <span className="op-what">
              {op.maskedName}
              {op.subject && ` · ${pick(op.subject, lang)}`}
              {/* Each sum says what it is: an earn's purchase, and a gift's worth not read as money taken. */}
              {moneyFacts(op).map((m) => (
                <span key={m.key} data-testid="op-money" data-is={m.is}>{` · ${t(m.key)} ${formatYuan(m.fen)}`}</span>
              ))}
              {/* With its unit: an earn's "+30,000" beside a purchase of ¥30,000 read as money. */}
              {op.points !== 0 && ` · ${t('ui.common.points', { points: `${op.points > 0 ? '+' : ''}${formatPoints(op.points)}` })}`}
            </span>
            <span className="op-print">{op.voided ? t('ui.ops.voided') : op.printStatus ? t(`ui.ops.print.${op.printStatus}`, { defaultValue: op.printStatus }) : ''}</span>
            {!isSlip(op) && (
              <button type="button" onClick={() => props.onPreview(op.opId, op.memberId)}>
                {t('ui.ops.preview')}
              </button>
            )}
            <button type="button" onClick={() => void reprint(op)} data-testid="op-reprint">
              {t('ui.ops.reprint')}
            </button>
            {/* Only where the core would take the void (RecentOperation.voidable): no button that only errors. */}
            {op.voidable && !isSlip(op) && (
              <button type="button" className="danger" onClick={(e) => (setNote(null), setOpener(e.currentTarget), setVoiding(op))} data-testid="op-void">
                {t('ui.ops.void')}
              </button>
            )}
          </li>
        ))}
      </ScrollPanel>
      {voiding && (
        <Dialog
          title={t('ui.ops.voidTitleKind', { kind: t(`opKind.${voiding.kind}`) })}
          testId="void-dialog"
          returnFocus={opener}
          {...(busy ? {} : { onClose: closeVoid })}
          actions={
            <>
              <button type="button" className="secondary big" onClick={closeVoid} disabled={busy} data-testid="cancel-void">
                {t('ui.common.cancel')}
              </button>
              {staff?.role === 'manager' && (
                <button type="button" className="danger big" disabled={busy} onClick={() => void doVoid(voiding, undefined)} data-testid="confirm-void">
                  {t('ui.ops.confirmVoid')}
                </button>
              )}
            </>
          }
        >
          <div className={staff?.role === 'manager' ? 'dialog-text' : 'dialog-split'}>
            <div className="dialog-text">
              <p className="big-text" data-testid="void-says">
                {voidSentence(voiding, t, lang)}
              </p>
              <dl className="void-what" data-testid="void-what">
                <div className="paper-row">
                  <dt>{t('ui.receipt.kind')}</dt>
                  <dd>{t(`opKind.${voiding.kind}`)}</dd>
                </div>
                <div className="paper-row">
                  <dt>{t('ui.receipt.opId')}</dt>
                  <dd data-testid="void-op-id">{voiding.opId}</dd>
                </div>
                <div className="paper-row">
                  <dt>{t('ui.receipt.time')}</dt>
                  <dd>{formatTime(voiding.at, tz)}</dd>
                </div>
                <div className="paper-row">
                  <dt>{t('ui.receipt.member')}</dt>
                  <dd>{voiding.maskedName}</dd>
                </div>
                {voiding.subject && (
                  <div className="paper-row">
                    <dt>{t('ui.receipt.subject')}</dt>
                    <dd>{pick(voiding.subject, lang)}</dd>
                  </div>
                )}
                {voiding.valueFen > 0 && (
                  <div className="paper-row">
                    <dt>{t('ui.receipt.valueLine')}</dt>
                    <dd>{formatYuan(voiding.valueFen)}</dd>
                  </div>
                )}
                {voiding.points !== 0 && (
                  <div className="paper-row">
                    <dt>{t('ui.receipt.pointsLine')}</dt>
                    <dd>{`${voiding.points > 0 ? '+' : ''}${formatPoints(voiding.points)}`}</dd>
                  </div>
                )}
              </dl>
              <p className="hint" data-testid="void-approver">
                {staff?.role === 'manager' ? t('ui.ops.voidSelfApproves', { name: staff.name }) : t('ui.ops.voidNeedsManager', { name: staff?.name ?? '' })}
              </p>
              {note && !note.ok && <ErrorNote message={note.text} />}
            </div>
            {staff?.role !== 'manager' && (
              <div className="dialog-pad">
                <label>{t('ui.ops.managerPin')}</label>
                <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('ui.ops.confirmVoid')} onSubmit={(pin) => void doVoid(voiding, pin)} active testId="manager-pin" />
              </div>
            )}
          </div>
        </Dialog>
      )}
    </main>
  );
}
