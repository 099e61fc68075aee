// `loyalty-desk` commands of the sync domain: hq (the reference server), hq-admin, enroll, sync.
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { listConflicts } from '../../store/syncState';
import { openStore } from '../../store/open';
import { syncOnce } from '../../syncClient/syncRun';
import { enrollTerminal } from '../../syncClient/enroll';
import { check, dbPathFrom, intArg, type Flags } from '../args';
import type { Command } from '../command';
import { hqAdminCommand } from './hqAdmin';
import { readSecret } from '../secretFiles';
import { cliLog } from '../cliLog';
import { logSync } from '../../syncClient/syncLog';

async function hqCommand(flags: Flags, err: (line: string) => void, out: (line: string) => void): Promise<undefined> {
  const port = check(intArg(65_535), flags.port ?? '8787', 'port');
  // HQ_ADMIN_TOKEN or --admin-token-file F; --admin-token T is refused (visible to every user in ps).
  const adminToken = readSecret(flags, { flag: 'admin-token', fileFlag: 'admin-token-file', env: 'HQ_ADMIN_TOKEN' }, err);
  const url = process.env.DATABASE_URL;
  // HQ pulls in fastify, PGlite and pg: load them only for this command, not for every CLI call.
  const { startHq } = await import('../../hq/server');
  const hq = await startHq({
    port,
    ...(url ? { url } : { ...(typeof flags.data === 'string' ? { dataDir: flags.data } : {}) }),
    ...(adminToken ? { adminToken } : {}),
  });
  out(JSON.stringify({ ok: true, url: hq.url, database: url ? 'postgresql' : typeof flags.data === 'string' ? `pglite:${flags.data}` : 'pglite:memory', admin: adminToken ? 'enabled' : 'disabled' }));
  if (!url && typeof flags.data !== 'string') err('HQ keeps its data in memory: pass --data DIR to keep it, or set DATABASE_URL.');
  await new Promise<void>((resolve) => {
    const stop = () => void hq.close().finally(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return undefined;
}

async function enrollCommand(flags: Flags, err: (line: string) => void) {
  const dbPath = dbPathFrom(flags);
  const enrolled = await enrollTerminal({
    dbPath,
    hqUrl: check(z.url(), flags.hq, 'hq'),
    code: check(z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)), flags.code, 'code'),
    ...(typeof flags.label === 'string' ? { label: flags.label } : {}),
  });
  if (flags['no-sync'] === true) return enrolled;
  // A new terminal is useless until it holds HQ's snapshot, so enrolling pulls it at once. The
  // enrollment stands even when this first sync fails: `loyalty-desk sync` finishes it later.
  try {
    return { ...enrolled, firstSync: await syncCommand(flags, err) };
  } catch (e) {
    const error = e instanceof DeskError ? { code: e.code, params: e.params } : { code: 'INTERNAL', params: { detail: e instanceof Error ? e.message : String(e) } };
    err(`enrolled, but the first sync failed (${error.code}); run: loyalty-desk sync --db ${dbPath}`);
    return { ...enrolled, firstSync: { ok: false as const, error } };
  }
}

async function syncCommand(flags: Flags, err: (line: string) => void) {
  const dbPath = dbPathFrom(flags);
  const { db } = openStore(dbPath, { create: false });
  try {
    const summary = await logSync(cliLog(dbPath), Date.now(), syncOnce(db, {
      ...(flags.timeout !== undefined ? { timeoutMs: check(intArg(3_600), flags.timeout, 'timeout') * 1000 } : {}),
      onProgress: (p) => {
        if (p.phase === 'push') err(`push ${p.pushed}/${p.toPush}`);
        else if (p.phase === 'pull') err(`pull page ${p.pages}: ${p.pulled} changes`);
        else err(`done: pushed ${p.pushed}, pulled ${p.pulled}`);
      },
    }));
    if (summary.skewWarning) err(`warning: this PC's clock differs from HQ's by ${Math.round((summary.skewMs ?? 0) / 1000)} s; fix the clock`);
    return { ...summary, openConflicts: listConflicts(db, true).length };
  } finally {
    db.close();
  }
}

export const syncCommands: Record<string, Command> = {
  hq: { run: (f, { io }) => hqCommand(f, io.err, io.out), flags: ['port', 'admin-token', 'admin-token-file'], longRunning: true },
  'hq-admin': {
    run: (f, { io, positionals }) => hqAdminCommand(f, positionals, f.now !== undefined ? check(intArg(10_000_000_000), f.now, 'now') * 1000 : io.now(), io.err),
    flags: ['hq', 'token', 'token-file', 'members', 'seed', 'store', 'file', 'id', 'terminal', 'retire', 'out', 'member', 'serial', 'reason', 'key-file', 'name-display'],
  },
  enroll: { run: (f, { io }) => enrollCommand(f, io.err), flags: ['hq', 'code', 'label', 'timeout'], booleans: ['no-sync'] },
  sync: { run: (f, { io }) => syncCommand(f, io.err), flags: ['timeout'] },
};

