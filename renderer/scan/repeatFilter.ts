// A code held in front of the camera is read many times a second: report it once, and again only
// after it has been out of sight for windowMs (3 s at the desk).
export class RepeatFilter {
  private last: { text: string; at: number } | null = null;

  constructor(private readonly windowMs = 3000) {}

  /** True when this sighting should be reported. */
  accept(text: string, now: number): boolean {
    const repeat = this.last !== null && this.last.text === text && now - this.last.at < this.windowMs;
    this.last = { text, at: now };
    return !repeat;
  }

  reset(): void {
    this.last = null;
  }
}
