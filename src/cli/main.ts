// `loyalty-desk`: JSON on stdout; exit 0 on success, 2 on a refused operation, 1 on failure.
import { DeskError } from '../contract/errors';
import { createTranslator, DEFAULT_LANG, isLang } from '../i18n';
export type { CliIo } from './command';
import { clockFrom, parseFlags } from './args';
import type { CliIo, Command } from './command';
import { printCommands } from './commands/print';
import { scanCommands } from './commands/scan';
import { syncCommands } from './commands/sync';
import { dayEndCommands } from './commands/dayEnd';
import { doctorCommand } from './commands/doctor';
import {
  cashCommand,
  donateCommand,
  earnCommand,
  exchangeCommand,
  memberCommand,
  outboxCommand,
  redeemCommand,
  reprintCommand,
  voidCommand,
} from './commands/ops';
import { seedCommand } from './commands/seed';
import { startCommand } from './commands/start';

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  now: () => Date.now(),
};

const COMMON_FLAGS = ['db', 'data', 'lang', 'now'] as const;
const PRINTED = ['printer'];

const CORE_COMMANDS: Record<string, Command> = {
  seed: { run: (f, { io }) => seedCommand(f, clockFrom(f)?.() ?? io.now()), flags: ['members', 'seed'] },
  member: { run: (f) => memberCommand(f), flags: ['id', 'card'] },
  redeem: { run: (f) => redeemCommand(f), flags: ['member', 'benefit', 'staff', 'amount', ...PRINTED] },
  earn: { run: (f) => earnCommand(f), flags: ['member', 'staff', 'amount', 'category', 'lines', ...PRINTED] },
  exchange: { run: (f) => exchangeCommand(f), flags: ['member', 'staff', 'item', ...PRINTED] },
  cash: { run: (f) => cashCommand(f), flags: ['member', 'staff', 'points', 'amount', ...PRINTED] },
  donate: { run: (f) => donateCommand(f), flags: ['member', 'staff', 'points', ...PRINTED] },
  void: { run: (f) => voidCommand(f), flags: ['op', 'staff', 'manager', ...PRINTED] },
  reprint: { run: (f) => reprintCommand(f), flags: ['op', 'staff', ...PRINTED] },
  outbox: { run: (f) => outboxCommand(f), flags: ['limit'] },
  doctor: {
    run: (f) => {
      const report = doctorCommand(f);
      if (!report.audit.ok) {
        throw Object.assign(new DeskError('AUDIT_CHAIN_BROKEN', { seq: report.audit.firstBrokenSeq, problem: report.audit.problem }), { report });
      }
      if (!report.healthy) throw Object.assign(new DeskError('DB_CORRUPT', { path: report.path, detail: report.integrity.slice(0, 3).join('; ') }), { report });
      return report;
    },
    flags: [],
  },
  start: { run: (f, { tr, io }) => startCommand(f, tr, io), flags: ['port'], booleans: ['web', 'no-browser', 'kiosk', 'prepare'] },
  bench: { run: async (f, { io }) => (await import('./bench/run')).runBench(f, io.err), flags: ['members', 'only'], booleans: ['quick', 'keep'] },
};

// Each domain registers its commands in its own file; a name registered twice is a bug.
const COMMANDS: Record<string, Command> = {};
for (const group of [CORE_COMMANDS, scanCommands, printCommands, syncCommands, dayEndCommands]) {
  for (const [name, command] of Object.entries(group)) {
    if (name in COMMANDS) throw new Error(`loyalty-desk command "${name}" registered twice`);
    COMMANDS[name] = command;
  }
}

function usage(): string {
  return `usage: loyalty-desk <${Object.keys(COMMANDS).join('|')}> [--db FILE | --data DIR] [--lang zh-CN|zh-TW|en] …`;
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  let tr = createTranslator(DEFAULT_LANG);
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.err(usage());
    io.out(JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: tr.error('INVALID_INPUT', { detail: usage() }) } }));
    return 2;
  }
  try {
    const { flags, positionals } = parseFlags(rest, [...COMMON_FLAGS, ...command.flags], command.booleans);
    if (flags.lang !== undefined) {
      if (typeof flags.lang !== 'string' || !isLang(flags.lang)) throw new DeskError('INVALID_INPUT', { detail: '--lang is zh-CN, zh-TW or en' });
      tr = createTranslator(flags.lang);
    }
    const value = await command.run(flags, { tr, io, positionals });
    // Servers (long-running commands) print their own lines and return nothing.
    if (value !== undefined) io.out(JSON.stringify({ ok: true, ...(value as object) }));
    return 0;
  } catch (err) {
    if (err instanceof DeskError) {
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
