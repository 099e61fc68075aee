// The recovery key on paper (docs/backup.md): printed once at setup, or when a manager makes a new
// one. Large type, the nine groups three to a line so a person copies it without losing their place;
// no QR code, so a photo of the counter is not a scan away from the key.
import type { Lang } from '../loyalty/types';
import type { PaperCols, PrintDoc } from './doc';
import { center, labelValue, printable, wrap } from './text';
import { translatorFor } from './translators';

export function layoutRecoverySheet(o: { cols: PaperCols; lang: Lang; storeId: string; terminalId: string; at: string; recoveryKey: string }): PrintDoc {
  const tr = translatorFor(o.lang, 'UTC');
  const groups = o.recoveryKey.split('-');
  const rows: string[] = [];
  for (let i = 0; i < groups.length; i += 3) rows.push(center(groups.slice(i, i + 3).join(' '), o.cols));
  return {
    cols: o.cols,
    blocks: [
      { t: 'text', lines: [center(printable(tr.t('recoverySheet.title')), o.cols)], bold: true, tall: true },
      { t: 'rule' },
      {
        t: 'text',
        lines: [
          ...labelValue(printable(tr.t('recoverySheet.store')), o.storeId, o.cols),
          ...labelValue(printable(tr.t('recoverySheet.terminal')), o.terminalId, o.cols),
          ...labelValue(printable(tr.t('recoverySheet.made')), o.at, o.cols),
        ],
      },
      { t: 'rule' },
      { t: 'text', lines: rows, bold: true, tall: true },
      { t: 'rule' },
      { t: 'text', lines: wrap(printable(tr.t('recoverySheet.keep')), o.cols) },
      { t: 'feed', lines: 2 },
    ],
  };
}
