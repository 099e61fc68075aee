// `loyalty-desk`: JSON on stdout; exit 0 on success, 2 on a refused operation, 1 on failure.
import { resolve } from 'node:path';
import { KEY_FILE_ENV } from '../store/dbKey';
import { DeskError } from '../contract/errors';
import { sqliteWords } from '../store/sqliteWords';
import { createTranslator, DEFAULT_LANG, isLang } from '../i18n';
import { clockFrom, dbPathFrom, parseFlags, type Flags } from './args';
import { RefusedCall, type CliIo, type Command } from './command';
import { endCliLog, noteCliFailure } from './cliLog';

// Command modules load when their command runs (a dynamic import each): `member` does not load the
// web host, HQ, the printers or the scanner, and starts in a fraction of the time.
const ops = () => import('./commands/ops');

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  now: () => Date.now(),
};

// --key FILE: the database key file, instead of the one the rule finds (docs/encryption.md).
const COMMON_FLAGS = ['db', 'data', 'key', 'lang', 'now'] as const;
const PRINTED = ['printer'];

const CORE_COMMANDS: Record<string, Command> = {
  seed: { run: async (f, { io }) => (await import('./commands/seed')).seedCommand(f, clockFrom(f)?.() ?? io.now()), flags: ['members', 'seed'] },
  member: { run: async (f) => (await ops()).memberCommand(f), flags: ['id', 'card', 'phone'] },
  history: { run: async (f) => (await ops()).historyCommand(f), flags: ['member'] },
  redeem: { run: async (f) => (await ops()).redeemCommand(f), flags: ['member', 'benefit', 'staff', 'amount', ...PRINTED] },
  earn: { run: async (f) => (await ops()).earnCommand(f), flags: ['member', 'staff', 'manager', 'amount', 'category', 'lines', ...PRINTED] },
  join: { run: async (f) => (await ops()).joinCommand(f), flags: ['phone', 'name', 'birthday', 'referrer', 'staff'], booleans: ['consent'] },
  'card-replace': { run: async (f) => (await ops()).cardReplaceCommand(f), flags: ['member', 'staff', 'manager', ...PRINTED] },
  exchange: { run: async (f) => (await ops()).exchangeCommand(f), flags: ['member', 'staff', 'item', ...PRINTED] },
  cash: { run: async (f) => (await ops()).cashCommand(f), flags: ['member', 'staff', 'points', 'amount', ...PRINTED] },
  donate: { run: async (f) => (await ops()).donateCommand(f), flags: ['member', 'staff', 'points', ...PRINTED] },
  void: { run: async (f) => (await ops()).voidCommand(f), flags: ['op', 'staff', 'manager', ...PRINTED] },
  reprint: { run: async (f) => (await ops()).reprintCommand(f), flags: ['op', 'staff', ...PRINTED] },
  return: { run: async (f) => (await ops()).returnCommand(f), flags: ['op', 'staff', 'amount', ...PRINTED], repeated: ['line'] },
  outbox: { run: async (f) => (await ops()).outboxCommand(f), flags: ['limit'] },
  doctor: {
    run: async (f, { tr, io }) => {
      const report = await (await import('./commands/doctor')).doctorCommand(f, tr, clockFrom(f)?.() ?? io.now());
      // With a bundle written, the findings are in it: the command did its job (exit 0).
      if ('bundle' in report) return report;
      if ('audit' in report && !report.audit.ok) {
        throw Object.assign(new DeskError('AUDIT_CHAIN_BROKEN', { seq: report.audit.firstBrokenSeq, problem: report.audit.problem }), { report });
      }
      if (!report.healthy && 'integrity' in report) throw Object.assign(new DeskError('DB_CORRUPT', { path: report.path, sqlite: sqliteWords(report.integrity) }), { report });
      return report;
    },
    flags: ['bundle'],
  },
  logs: { run: async (f, { tr, io }) => (await import('./commands/logs')).logsCommand(f, tr, io), flags: ['since', 'level'], booleans: ['pretty'] },
  start: { run: async (f, { tr, io }) => (await import('./commands/start')).startCommand(f, tr, io), flags: ['port'], booleans: ['web', 'no-browser', 'kiosk', 'prepare', 'no-demo'] },
};

// Each domain registers its commands in its own file, loaded only for a command that is not a core
// one; a name registered twice is a bug.
async function allCommands(): Promise<Record<string, Command>> {
  const groups = await Promise.all([
    import('./commands/scan').then((m) => m.scanCommands),
    import('./commands/print').then((m) => m.printCommands),
    import('./commands/sync').then((m) => m.syncCommands),
    import('./commands/dayEnd').then((m) => m.dayEndCommands),
    import('./commands/backup').then((m) => m.backupCommands),
  ]);
  const commands: Record<string, Command> = {};
  for (const group of [CORE_COMMANDS, ...groups]) {
    for (const [name, command] of Object.entries(group)) {
      if (name in commands) throw new Error(`loyalty-desk command "${name}" registered twice`);
      commands[name] = command;
    }
  }
  return commands;
}

function usage(commands: Record<string, Command>): string {
  return `usage: loyalty-desk <${Object.keys(commands).join('|')}> [--db FILE | --data DIR] [--lang zh-CN|zh-TW|en] …`;
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const code = await runCommand(argv, io);
  endCliLog(argv[0] ?? '', code);
  return code;
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  let tr = createTranslator(DEFAULT_LANG);
  // Own names only: `toString` or `__proto__` is not a command.
  const named = (table: Record<string, Command>): Command | undefined => (name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined);
  let command = named(CORE_COMMANDS);
  if (!command) {
    const commands = await allCommands();
    command = named(commands);
    if (!command) {
      io.err(usage(commands));
      io.out(JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: tr.error('INVALID_INPUT', { detailKey: 'unknownCommand' }) } }));
      return 2;
    }
  }
  // The language first, so even a flag the parser refuses is told in it.
  const langArg = rest.find((a, i) => rest[i - 1] === '--lang' || a.startsWith('--lang='))?.replace(/^--lang=/, '');
  if (langArg !== undefined && isLang(langArg)) tr = createTranslator(langArg);
  let parsed: Flags | undefined;
  try {
    const { flags, positionals } = parseFlags(rest, [...COMMON_FLAGS, ...command.flags], command.booleans, command.repeated);
    parsed = flags;
    if (flags.lang !== undefined) {
      if (typeof flags.lang !== 'string' || !isLang(flags.lang)) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.lang' });
      tr = createTranslator(flags.lang);
    }
    if (flags.key !== undefined) {
      if (typeof flags.key !== 'string' || flags.key === '') throw new DeskError('INVALID_INPUT', { detailKey: 'flag.keyFile' });
      // Every store the command opens (and any process it starts) takes this key file.
      process.env[KEY_FILE_ENV] = resolve(flags.key);
    }
    const value = await command.run(flags, { tr, io, positionals });
    // Servers (long-running commands) print their own lines and return nothing.
    if (value !== undefined) io.out(JSON.stringify({ ok: true, ...(value as object) }));
    return 0;
  } catch (err) {
    if (err instanceof RefusedCall) {
      // Already in the session's language; INTERNAL carries what went wrong (the CLI's operator reads it).
      io.out(JSON.stringify({ ok: false, error: err.error }));
      if (err.error.code === 'INTERNAL') io.err(err.error.message);
      return err.error.code === 'INTERNAL' ? 1 : 2;
    }
    if (err instanceof DeskError) {
      if (typeof err.params.sqlite === 'string' && parsed) logDamage(parsed, err.code, err.params.sqlite);
      const report = (err as DeskError & { report?: unknown }).report;
      io.out(JSON.stringify({ ok: false, error: { code: err.code, message: tr.error(err.code, err.params), params: err.params }, ...(report ? { report } : {}) }));
      return 2;
    }
    const detail = err instanceof Error ? err.message : String(err);
    io.out(JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: tr.error('INTERNAL', { detail }) } }));
    io.err(err instanceof Error && err.stack ? err.stack : detail);
    return 1;
  }
}

function logDamage(flags: Flags, code: string, sqlite: string): void {
  try {
    noteCliFailure(dbPathFrom(flags), { code, sqlite });
  } catch {
    // A command with no data folder has no log to keep it in: the JSON on stdout still carries it.
  }
}
