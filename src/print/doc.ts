// A laid-out receipt: lines already fitted to the paper's columns, plus the codes to print.
// The ESC/POS renderer and the screen preview both draw from this, so they cannot drift.

export type PaperCols = 32 | 48;

export type Block =
  | { t: 'text'; lines: string[]; bold?: boolean; tall?: boolean }
  | { t: 'rule'; char?: string }
  | { t: 'qr'; data: string }
  | { t: 'barcode'; digits: string }
  | { t: 'feed'; lines: number };

export interface PrintDoc {
  cols: PaperCols;
  blocks: Block[];
}

/** The text of a document line by line, as the fake printer decodes it and the preview shows it. */
export function docLines(doc: PrintDoc): string[] {
  const out: string[] = [];
  for (const b of doc.blocks) {
    if (b.t === 'text') out.push(...b.lines);
    else if (b.t === 'rule') out.push((b.char ?? '-').repeat(doc.cols));
    else if (b.t === 'feed') for (let i = 0; i < b.lines; i++) out.push('');
    // A code is followed by a line feed, which the printer reads as one empty line.
    else out.push('');
  }
  return out;
}

/** QR payloads must stay ASCII: the printer's byte count is the string's length. */
export function assertAscii(data: string): string {
  if (!/^[\x20-\x7e]*$/.test(data)) throw new Error(`QR/barcode payload must be printable ASCII: ${JSON.stringify(data)}`);
  return data;
}
