// `loyalty-desk` commands of backups (docs/backup.md): backup, restore, recovery-key.
import { resolve } from 'node:path';
import { z } from 'zod';
import { makeBackup } from '../../store/backup';
import { keyOfConnection, openStore } from '../../store/open';
import { issueRecoveryKey } from '../../store/recoveryKey';
import { restoreBackup } from '../../store/restore';
import { check, clockFrom, dbPathFrom, type Flags } from '../args';
import type { Command } from '../command';
import { readSecret } from '../secretFiles';

const pathArg = (flag: string) => z.string({ error: `--${flag} FILE is required` }).min(1, `--${flag} FILE is required`);

function backupCommand(flags: Flags, now: number, err: (line: string) => void) {
  const path = dbPathFrom(flags);
  const { db } = openStore(path, { create: false, quickCheck: 'after-crash' });
  try {
    err(`backing up ${path} …`);
    const made = makeBackup(db, keyOfConnection(db), { kind: 'manual', now, ...(flags.out !== undefined ? { out: resolve(check(pathArg('out'), flags.out)) } : {}) });
    err(`backup written: ${made.path} (${made.bytes} bytes)${made.header.recovery ? '' : '; no recovery key yet: run loyalty-desk recovery-key, or keep the key file safe'}`);
    const { header } = made;
    return {
      path: made.path,
      bytes: made.bytes,
      storeId: header.storeId,
      terminalId: header.terminalId,
      createdAt: header.createdAt,
      audit: header.audit,
      /** A new PC can open it with the recovery key (false: only with this database's key file). */
      recoveryKey: header.recovery !== null,
    };
  } finally {
    db.close();
  }
}

function restoreCommand(flags: Flags, now: number, err: (line: string) => void) {
  const target = dbPathFrom(flags);
  // The recovery key is a secret: from LOYALTY_DESK_RECOVERY_KEY or --recovery-key-file, never a flag's value (docs/cli.md).
  const recoveryKey = readSecret(flags, { flag: 'recovery-key', fileFlag: 'recovery-key-file', env: 'LOYALTY_DESK_RECOVERY_KEY' }, err);
  err(`checking the backup ${String(flags.from)} …`);
  const restored = restoreBackup({
    from: resolve(check(pathArg('from'), flags.from)),
    target,
    ...(flags['key-file'] !== undefined ? { keyFile: resolve(check(pathArg('key-file'), flags['key-file'])) } : {}),
    ...(recoveryKey !== undefined ? { recoveryKey } : {}),
    replace: flags.replace === true,
    now,
  });
  err(`restored ${restored.path} from the backup of ${new Date(restored.backupAt).toISOString()}${restored.replacedTo ? `; the old database is kept as ${restored.replacedTo}` : ''}. The next sync tells HQ.`);
  return restored;
}

function recoveryKeyCommand(flags: Flags, now: number, err: (line: string) => void) {
  const { db } = openStore(dbPathFrom(flags), { create: false, quickCheck: 'after-crash' });
  try {
    const issued = issueRecoveryKey(db, keyOfConnection(db), { actor: 'cli', now, renew: flags.new === true });
    err('Write the recovery key down (or print it) and keep it away from this PC: it is shown this once, and it opens every backup made from now on.');
    return issued;
  } finally {
    db.close();
  }
}

const nowOf = (flags: Flags, fallback: number) => clockFrom(flags)?.() ?? fallback;

export const backupCommands: Record<string, Command> = {
  backup: { run: (f, { io }) => backupCommand(f, nowOf(f, io.now()), io.err), flags: ['out'] },
  restore: { run: (f, { io }) => restoreCommand(f, nowOf(f, io.now()), io.err), flags: ['from', 'key-file', 'recovery-key', 'recovery-key-file'], booleans: ['replace'] },
  'recovery-key': { run: (f, { io }) => recoveryKeyCommand(f, nowOf(f, io.now()), io.err), flags: [], booleans: ['new'] },
};
