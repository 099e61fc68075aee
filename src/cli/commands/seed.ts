// `seed`: deterministic demo data into a new database file.
import { z } from 'zod';
import { seedNewDatabase } from '../../runtime/dataFolder';
import { check, dbPathFrom, intArg, type Flags } from '../args';

export function seedCommand(flags: Flags, now: number) {
  return seedNewDatabase({
    dbPath: dbPathFrom(flags),
    members: check(intArg(5_000_000).pipe(z.number().min(1)), flags.members ?? '2000', 'members'),
    seed: check(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), flags.seed ?? 'demo', 'seed'),
    now,
  });
}
