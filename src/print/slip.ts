// The member kiosk's benefit slip: what the member holds (tier, points and what expires soon,
// benefits usable now or why not yet) and a QR of their static card code to show at the desk.
// Stored as a model in print_jobs (kind 'slip', op_id NULL) and laid out at print time like a
// receipt, through the same PrintDoc, ESC/POS renderer, transports and queue; printed in the
// language the member chose at the kiosk.
import { z } from 'zod';
import { formatInstant } from '../i18n';
import { whyNotText } from '../i18n/kiosk-words';
import { LOYALTY_REASONS } from '../loyalty/refusal';
import { localizedTextSchema, tierCodeSchema } from '../loyalty/schemas';
import { LANGS } from '../loyalty/types';
import { assertAscii, type Block, type PaperCols, type PrintDoc } from './doc';
import { center, labelValue, printable, wrap } from './text';
import { translatorFor } from './translators';

/** A slip is a glance, not a statement: beyond these the slip says "… and N more". */
export const SLIP_MAX_BENEFITS = 12;
export const SLIP_MAX_EXPIRING = 6;

const epochMs = z.number().int().nonnegative();

export const slipModelSchema = z
  .object({
    v: z.literal(1),
    kind: z.literal('slip'),
    at: epochMs,
    tz: z.string().min(1),
    lang: z.enum(LANGS),
    storeName: localizedTextSchema.nullable(),
    member: z.object({ maskedName: z.string().max(64), cardTail: z.string().regex(/^\d{0,4}$/), tier: tierCodeSchema }).strict(),
    points: z
      .object({
        balance: z.number().int(),
        expiringDays: z.number().int().nonnegative(),
        expiring: z.array(z.object({ expiresAt: epochMs, points: z.number().int() }).strict()).max(SLIP_MAX_EXPIRING),
        expiringTotal: z.number().int().nonnegative(),
      })
      .strict(),
    benefits: z
      .array(
        z
          .object({
            name: localizedTextSchema,
            validTo: epochMs,
            usable: z.boolean(),
            whyNot: z.object({ code: z.enum(LOYALTY_REASONS), params: z.record(z.string(), z.union([z.string(), z.number()])) }).strict().nullable(),
          })
          .strict(),
      )
      .max(SLIP_MAX_BENEFITS),
    moreBenefits: z.number().int().nonnegative(),
    /** 'card': the member's static card code (ASCII, checked); 'none': said in words why not. */
    qr: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('card'), data: z.string().min(1).max(1024).regex(/^LD1C\.[\x21-\x7e]+$/) }).strict(),
      z.object({ kind: z.literal('none') }).strict(),
    ]),
  })
  .strict();
export type SlipModel = z.infer<typeof slipModelSchema>;

export function parseSlipModel(payload: unknown): SlipModel {
  return slipModelSchema.parse(payload);
}

export function layoutSlip(model: SlipModel, cols: PaperCols): PrintDoc {
  const tr = translatorFor(model.lang, model.tz);
  const t = (key: string, params?: Record<string, string | number>): string => printable(String(tr.t(key, params)));
  const row = (label: string, value: string): string[] => labelValue(printable(label), printable(value), cols);
  const centered = (text: string): string[] => wrap(printable(text), cols).map((l) => center(l, cols));
  const para = (text: string, indent = ''): string[] => wrap(printable(text), cols - indent.length).map((l) => indent + l);
  const date = (at: number): string => formatInstant(at, model.tz, false);
  const blocks: Block[] = [];
  const text = (lines: string[], extra: { bold?: boolean; tall?: boolean } = {}) => {
    if (lines.length > 0) blocks.push({ t: 'text', lines, ...extra });
  };

  if (model.storeName) text(centered(model.storeName[model.lang]), { bold: true, tall: true });
  text(centered(t('kiosk.slip.title')), { bold: true });
  blocks.push({ t: 'rule' });
  text([
    ...row(t('kiosk.slip.time'), formatInstant(model.at, model.tz)),
    ...row(t('kiosk.slip.member'), `${model.member.maskedName} ****${model.member.cardTail}`),
    ...row(t('kiosk.slip.tier'), tr.tier(model.member.tier)),
    ...row(t('kiosk.slip.points'), model.points.balance.toLocaleString('en-US')),
  ]);
  if (model.points.expiring.length > 0) {
    const lines = [t('kiosk.slip.expiring', { days: model.points.expiringDays })];
    for (const lot of model.points.expiring) lines.push(...row(`  ${date(lot.expiresAt)}`, lot.points.toLocaleString('en-US')));
    text(lines);
  }
  blocks.push({ t: 'rule' });

  text([t('kiosk.slip.benefits')], { bold: true });
  for (const usable of [true, false]) {
    const group = model.benefits.filter((b) => b.usable === usable);
    if (group.length === 0) continue;
    const lines = [usable ? t('kiosk.slip.usable') : t('kiosk.slip.notYet')];
    for (const b of group) {
      lines.push(...para(`* ${b.name[model.lang]}`));
      lines.push(...para(usable || !b.whyNot ? t('kiosk.slip.validTo', { date: date(b.validTo) }) : whyNotText(tr, model.tz, b.whyNot.code, b.whyNot.params), '  '));
    }
    text(lines);
  }
  if (model.moreBenefits > 0) text([t('kiosk.slip.more', { count: model.moreBenefits })]);
  blocks.push({ t: 'rule' });

  if (model.qr.kind === 'card') {
    text(centered(t('kiosk.slip.qrTitle')), { bold: true });
    blocks.push({ t: 'qr', data: assertAscii(model.qr.data) });
    text(centered(t('kiosk.slip.qrKeep')));
  } else {
    text(para(t('kiosk.slip.qrNone')));
  }
  text(centered(t('kiosk.slip.footer')));
  return { cols, blocks };
}

/** What the print queue calls for a job of kind 'slip'. */
export function layoutSlipJob(payload: unknown, cols: PaperCols): PrintDoc {
  return layoutSlip(parseSlipModel(payload), cols);
}
