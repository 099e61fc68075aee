// Column arithmetic for a character-cell printer: CJK and full-width characters take two columns,
// so widths are counted in cells, never in string length.

/**
 * Cells a character takes on the printer. In Chinese mode (FS &) every non-ASCII character is
 * sent as a double-byte (or GB18030 four-byte) code and printed as one full-width glyph: two cells.
 */
export function cellWidth(ch: string): number {
  return (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += cellWidth(ch);
  return w;
}

/**
 * What the printer's font can show: ¥ (U+00A5) is not in GBK or Big5, so it becomes the
 * full-width ￥ both have; control characters become spaces.
 */
export function printable(text: string): string {
  return text.replace(/¥/g, '￥').replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/**
 * An id shown on paper where the whole of it does not fit one line: its first and last 8 characters
 * (a UUIDv7 starts with its time, so the tail is what tells two close operations apart). Only where a
 * code on the same paper carries the whole id for a scanner.
 */
export function shortId(id: string): string {
  return id.length <= 20 ? id : `${id.slice(0, 8)}..${id.slice(-8)}`;
}

/** An id broken after its hyphens into lines of at most `width`, so no group is split. */
export function breakId(id: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of id.match(/[^-]+-?|-/g) ?? [id]) {
    if (line && textWidth(line + part) > width) {
      lines.push(line);
      line = '';
    }
    line += part;
  }
  if (line) lines.push(line);
  return lines.flatMap((l) => wrap(l, width));
}

/** Breaks text into lines of at most `width` cells, preferring spaces for Latin text. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of text) {
    const cw = cellWidth(ch);
    if (w + cw > width) {
      const space = line.lastIndexOf(' ');
      if (cw === 1 && ch !== ' ' && space > 0 && [...line].every((c) => cellWidth(c) === 1)) {
        lines.push(line.slice(0, space));
        line = line.slice(space + 1);
        w = textWidth(line);
      } else {
        lines.push(line.trimEnd());
        line = '';
        w = 0;
      }
      if (ch === ' ' && line === '') continue;
    }
    line += ch;
    w += cw;
  }
  if (line.length > 0 || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

export function center(text: string, width: number): string {
  const gap = Math.max(0, width - textWidth(text));
  return ' '.repeat(Math.floor(gap / 2)) + text;
}

/**
 * A label on the left and a value on the right of one line; when both do not fit, the value
 * goes right-aligned on the lines below.
 */
export function labelValue(label: string, value: string, width: number): string[] {
  const lw = textWidth(label);
  const vw = textWidth(value);
  if (lw + 1 + vw <= width) return [label + ' '.repeat(width - lw - vw) + value];
  return [label, ...wrap(value, width).map((l) => ' '.repeat(Math.max(0, width - textWidth(l))) + l)];
}
