// The printer test page: language, code page, columns, QR and barcode in one short slip.
import type { Lang } from '../loyalty/types';
import type { PaperCols, PrintDoc } from './doc';
import { center, labelValue, printable } from './text';
import { translatorFor } from './translators';

export const TEST_QR = 'LD-PRINT-TEST';
export const TEST_BARCODE = '0123456789012345';

export function layoutTestPage(opts: { cols: PaperCols; lang: Lang; uri: string; encoding: string; commandSet: string; at: string }): PrintDoc {
  const tr = translatorFor(opts.lang, 'UTC');
  const { cols } = opts;
  return {
    cols,
    blocks: [
      { t: 'text', lines: [center(printable(tr.t('receipt.testTitle')), cols)], bold: true, tall: true },
      { t: 'rule' },
      {
        t: 'text',
        lines: [
          ...labelValue('URI', opts.uri, cols),
          ...labelValue('set / code', `${opts.commandSet} / ${opts.encoding}`, cols),
          ...labelValue('cols', String(cols), cols),
          ...labelValue('time', opts.at, cols),
          printable(tr.t('receipt.testLine')),
          '0123456789'.repeat(Math.ceil(cols / 10)).slice(0, cols),
        ],
      },
      { t: 'qr', data: TEST_QR },
      ...(cols === 48 ? [{ t: 'barcode' as const, digits: TEST_BARCODE }] : []),
      { t: 'rule' },
    ],
  };
}
