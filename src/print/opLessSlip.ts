// The frame of the slips that record no operation (开卡凭条, 补卡凭条): the store and the slip's title
// on top (and 重印 on a reprint), who, when and for whom, the slip's own lines, then its id (on one
// line when it fits, broken where it does not) and the footer.
import { formatInstant } from '../i18n';
import type { Lang, LocalizedText } from '../loyalty/types';
import type { Block, PaperCols, PrintDoc } from './doc';
import { breakId, center, labelValue, printable, wrap } from './text';
import { translatorFor } from './translators';

export interface SlipWriter {
  t(key: string, params?: Record<string, string | number>): string;
  row(label: string, value: string): string[];
  centered(text: string): string[];
  text(lines: string[], extra?: { bold?: boolean; tall?: boolean }): void;
  rule(): void;
}

export interface OpLessSlip {
  cols: PaperCols;
  lang: Lang;
  tz: string;
  storeName: LocalizedText;
  titleKey: string;
  copy: boolean;
  terminalId: string;
  staffName: string;
  /** Who approved, where the slip's act needs a manager (a card replacement). */
  approverName?: string;
  at: number;
  member: { maskedName: string; maskedPhone: string };
  id: string;
  /** The slip's own lines, between the rules. */
  body(w: SlipWriter): void;
}

export function layoutOpLessSlip(s: OpLessSlip): PrintDoc {
  const { cols } = s;
  const tr = translatorFor(s.lang, s.tz);
  const blocks: Block[] = [];
  const w: SlipWriter = {
    t: (key, params) => printable(String(tr.t(key, params))),
    row: (label, value) => labelValue(printable(label), printable(value), cols),
    centered: (text) => wrap(printable(text), cols).map((l) => center(l, cols)),
    text: (lines, extra = {}) => void blocks.push({ t: 'text', lines, ...extra }),
    rule: () => void blocks.push({ t: 'rule' }),
  };
  const { t, row, centered, text } = w;
  text(centered(s.storeName[s.lang]), { bold: true, tall: true });
  text(centered(t(s.titleKey)), { bold: true });
  if (s.copy) text(centered(t('receipt.copy')), { bold: true });
  w.rule();
  text([
    ...row(t('receipt.terminal'), s.terminalId),
    ...row(t('receipt.staff'), s.staffName),
    ...(s.approverName === undefined ? [] : row(t('receipt.approvedBy'), s.approverName)),
    ...row(t('receipt.time'), formatInstant(s.at, s.tz)),
    ...row(t('receipt.member'), `${s.member.maskedName} ${s.member.maskedPhone}`),
  ]);
  w.rule();
  s.body(w);
  w.rule();
  const idLine = labelValue(t('receipt.opId'), s.id, cols);
  text(idLine.length === 1 ? idLine : [t('receipt.opId'), ...breakId(s.id, cols)]);
  text(centered(t('receipt.footer')));
  return { cols, blocks };
}
