// The demo members' phone numbers, made again from the seed: a terminal holds only their keyed hash
// and last four digits, so a test that plays the member saying their number gets it from here (the
// same seed, day and count as the database was seeded with).
import { generateDemoMembers } from '../../src/terminal/demo/members';

export function demoPhones(options: { seed: string; now: number; members: number }): Map<string, string> {
  const phones = new Map<string, string>();
  generateDemoMembers(options, (m) => phones.set(m.id, m.phone));
  return phones;
}

/** A mobile number of the same form that is not this one (for a wrong answer). */
export function otherPhone(phone: string): string {
  const last = Number(phone.at(-1));
  return `${phone.slice(0, -1)}${(last + 1) % 10}`;
}
