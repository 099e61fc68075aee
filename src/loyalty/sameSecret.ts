// Comparing a secret (a launch token, a phone hash) with what was presented, in time that does not
// depend on where the two first differ.
import { timingSafeEqual } from 'node:crypto';

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
