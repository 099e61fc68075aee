// The manager's day-end Z report: its data (filled by the day-end issue) and its printed layout.
import { z } from 'zod';
import { formatInstant, formatYuan, voidAmount } from '../i18n';
import { BENEFIT_TYPES, type Lang } from '../loyalty/types';
import type { Block, PaperCols, PrintDoc } from './doc';
import { center, labelValue, printable, wrap } from './text';
import { translatorFor } from './translators';
import { OP_KINDS } from '../contract/deskTypes';

const count = z.number().int().min(0);
const fen = z.number().int();

export const zReportSchema = z.object({
  v: z.literal(1),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Consecutive per terminal. */
  number: z.number().int().min(1),
  store: z.object({ id: z.string(), name: z.object({ 'zh-CN': z.string(), 'zh-TW': z.string(), en: z.string() }) }),
  terminalId: z.string(),
  tz: z.string(),
  closedAt: z.number().int(),
  /** Everything of the day acknowledged by HQ when the report was closed. */
  synced: z.boolean(),
  redemptions: z.object({
    count,
    valueFen: fen,
    byType: z.array(z.object({ type: z.enum(BENEFIT_TYPES), count, valueFen: fen })),
  }),
  points: z.object({ earned: count, burned: count, donated: count, expired: count }),
  voids: z.array(
    z.object({ opId: z.string(), kind: z.enum(OP_KINDS), valueFen: fen, points: z.number().int().default(0), approvedBy: z.object({ id: z.string(), name: z.string() }) }),
  ),
  byStaff: z.array(z.object({ staffId: z.string(), name: z.string(), count, valueFen: fen })),
  /** Returns of the day (reports printed before returns existed have none; before owing points, no `owed`). */
  returns: z
    .object({ count, amountFen: fen, points: count, shortfall: count, owed: count.default(0) })
    .default({ count: 0, amountFen: 0, points: 0, shortfall: 0, owed: 0 }),
  /** Outbox events not yet acknowledged by HQ. */
  pending: count,
  /** Conflicts HQ reported and the manager has not yet reconciled. */
  conflicts: count,
});
export type ZReport = z.infer<typeof zReportSchema>;

export function layoutZReport(report: ZReport, opts: { cols: PaperCols; lang: Lang }): PrintDoc {
  const { cols, lang } = opts;
  const tr = translatorFor(lang, report.tz);
  const t = (key: string): string => printable(tr.t(key));
  const row = (label: string, value: string): string[] => labelValue(printable(label), printable(value), cols);
  const centered = (text: string): string[] => wrap(printable(text), cols).map((l) => center(l, cols));
  const n = (v: number): string => v.toLocaleString('en-US');
  const blocks: Block[] = [];
  const text = (lines: string[], extra: { bold?: boolean; tall?: boolean } = {}) => blocks.push({ t: 'text', lines, ...extra });

  text(centered(report.store.name[lang]), { bold: true, tall: true });
  text(centered(tr.t('zreport.title')), { bold: true });
  blocks.push({ t: 'rule', char: '=' });
  text([
    ...row(t('zreport.date'), report.businessDate),
    ...row(t('zreport.number'), String(report.number)),
    ...row(t('receipt.terminal'), report.terminalId),
    ...row(t('zreport.closedAt'), formatInstant(report.closedAt, report.tz)),
    ...row(t('zreport.synced'), t(report.synced ? 'zreport.yes' : 'zreport.no')),
  ]);
  blocks.push({ t: 'rule' });
  text([t('zreport.redemptions')], { bold: true });
  text([...row(t('zreport.count'), n(report.redemptions.count)), ...row(t('zreport.value'), formatYuan(report.redemptions.valueFen))]);
  if (report.redemptions.byType.length > 0) {
    text([t('zreport.byType')]);
    text(report.redemptions.byType.flatMap((r) => row(`  ${tr.t(`benefitType.${r.type}`)} ×${r.count}`, formatYuan(r.valueFen))));
  }
  blocks.push({ t: 'rule' });
  text([t('zreport.points')], { bold: true });
  text([
    ...row(t('zreport.earned'), n(report.points.earned)),
    ...row(t('zreport.burned'), n(report.points.burned)),
    ...row(t('zreport.donated'), n(report.points.donated)),
    ...row(t('zreport.expired'), n(report.points.expired)),
  ]);
  blocks.push({ t: 'rule' });
  text(row(t('zreport.voids'), n(report.voids.length)), { bold: true });
  for (const v of report.voids) {
    text([...row(`  ${tr.t(`opKind.${v.kind}`)}`, voidAmount(v, tr.t)), ...wrap(`  ${v.opId}`, cols), ...row(`  ${t('receipt.approvedBy')}`, v.approvedBy.name)]);
  }
  blocks.push({ t: 'rule' });
  text(row(t('zreport.returns'), n(report.returns.count)), { bold: true });
  if (report.returns.count > 0) {
    text([
      ...row(`  ${t('receipt.returnedAmount')}`, formatYuan(report.returns.amountFen)),
      ...row(`  ${t('receipt.pointsReturned')}`, n(report.returns.points)),
      ...(report.returns.shortfall > 0 ? row(`  ${t('receipt.shortfall')}`, n(report.returns.shortfall)) : []),
      ...(report.returns.owed > 0 ? row(`  ${t('zreport.owed')}`, n(report.returns.owed)) : []),
    ]);
  }
  blocks.push({ t: 'rule' });
  text([t('zreport.byStaff')], { bold: true });
  text(report.byStaff.flatMap((s) => row(`  ${s.name} ×${s.count}`, formatYuan(s.valueFen))));
  blocks.push({ t: 'rule' });
  text([...row(t('zreport.pending'), n(report.pending)), ...row(t('zreport.conflicts'), n(report.conflicts))], { bold: report.pending > 0 || report.conflicts > 0 });
  blocks.push({ t: 'rule', char: '=' });
  text(centered(tr.t('zreport.end')));
  return { cols, blocks };
}
