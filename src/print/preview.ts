// The receipt as the screen shows it: the same laid-out lines as the paper, monospace, escaped,
// with the QR drawn as SVG from the same payload. Staff and kiosk see what will print.
import QRCode from 'qrcode';
import type { Lang } from '../loyalty/types';
import type { PaperCols, PrintDoc } from './doc';
import { layoutReceipt } from './layout';
import type { ReceiptModel } from '../contract/deskTypes';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function qrSvg(data: string): string {
  const { size, data: cells } = QRCode.create(data, { errorCorrectionLevel: 'M' }).modules;
  let path = '';
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (cells[y * size + x]) path += `M${x + 4} ${y + 4}h1v1h-1z`;
  const box = size + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box} ${box}" width="${box * 4}" height="${box * 4}" shape-rendering="crispEdges" role="img" aria-label="${escapeHtml(data)}" data-qr="${escapeHtml(data)}"><rect width="100%" height="100%" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

export function renderDocPreview(doc: PrintDoc): string {
  const parts: string[] = [];
  const line = (text: string, cls = '') => parts.push(`<div class="ld-line${cls}">${escapeHtml(text) || '&#160;'}</div>`);
  for (const b of doc.blocks) {
    if (b.t === 'text') for (const l of b.lines) line(l, `${b.bold ? ' ld-bold' : ''}${b.tall ? ' ld-tall' : ''}`);
    else if (b.t === 'rule') line((b.char ?? '-').repeat(doc.cols));
    else if (b.t === 'feed') for (let i = 0; i < b.lines; i++) line('');
    else if (b.t === 'qr') parts.push(`<div class="ld-code">${qrSvg(b.data)}</div>`);
    else parts.push(`<div class="ld-code ld-barcode" data-barcode="${escapeHtml(b.digits)}">||| ${escapeHtml(b.digits)} |||</div>`);
  }
  const style =
    `font-family:'Noto Sans Mono CJK SC','Sarasa Mono SC',ui-monospace,monospace;white-space:pre;` +
    `width:${doc.cols}ch;padding:1ch;background:#fff;color:#000;line-height:1.35`;
  return (
    `<div class="ld-receipt" data-cols="${doc.cols}" style="${style}">` +
    `<style>.ld-receipt .ld-bold{font-weight:700}.ld-receipt .ld-tall{transform:scaleY(1.6);margin:.3em 0}` +
    `.ld-receipt .ld-code{text-align:center;margin:.5em 0}</style>${parts.join('')}</div>`
  );
}

export interface PreviewOptions {
  cols: PaperCols;
  lang: Lang;
  synced: boolean;
}

export function renderReceiptPreview(model: ReceiptModel, opts: PreviewOptions): string {
  return renderDocPreview(layoutReceipt(model, opts));
}
