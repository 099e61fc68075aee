// Serial scanners send a code followed by CR, LF or CR LF (or, set up without a suffix, nothing:
// then a pause ends the code). Bytes in, whole lines out; a runaway line is cut, never buffered forever.

export class LineFramer {
  private buf = '';
  private overflow = false;

  /** maxLength: a line longer than this comes out cut to maxLength + 1 characters (so it is refused as too long). */
  constructor(private readonly maxLength = 2048) {}

  /** Feeds bytes; returns the lines they complete. Bytes are read as latin1, one character each. */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const lines: string[] = [];
    for (const part of text.split(/(\r\n|\r|\n)/)) {
      if (part === '\r\n' || part === '\r' || part === '\n') {
        const line = this.take();
        if (line !== null) lines.push(line);
      } else this.append(part);
    }
    return lines;
  }

  /** Whatever is pending as one line (after a pause, or when the port closes). */
  flush(): string | null {
    return this.take();
  }

  get pending(): boolean {
    return this.buf.length > 0;
  }

  private append(part: string): void {
    if (this.overflow) return;
    this.buf += part;
    if (this.buf.length > this.maxLength) {
      this.buf = this.buf.slice(0, this.maxLength + 1);
      this.overflow = true;
    }
  }

  private take(): string | null {
    const line = this.buf;
    this.buf = '';
    this.overflow = false;
    return line.length > 0 ? line : null;
  }
}
