// `loyalty-desk hq-admin --hq URL ACTION …` (the admin token from HQ_ADMIN_TOKEN or --token-file F):
// HQ's admin endpoints from the command line. A private key is written only where --key-file / --out
// says, never inside a git work tree (src/cli/secretFiles.ts).
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { ioReason } from '../../contract/ioReason';
import { DEFAULT_RULES } from '../../loyalty/rules';
import { demoHqKey } from '../../scan/hqKeys';
import { NAME_DISPLAYS } from '../../sync/protocolEntities';
import { hqAnswerError } from '../../syncClient/hqAnswer';
import { DEMO_CATALOG, DEMO_OTHER_STAFF, DEMO_OTHER_STORE, DEMO_STAFF, DEMO_STOCK, DEMO_STORE, demoBenefits } from '../../terminal/demo/catalog';
import { demoNow, generateDemoMembers, type DemoMember } from '../../terminal/demo/members';
import { DEMO_TERMS } from '../../terminal/demo/terms';
import type { SeedSummary } from '../../terminal/demo/seed';
import { check, intArg, readFlagFile, type Flags } from '../args';
import { checkSecretPath, readSecret, writeSecretFile } from '../secretFiles';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type AdminCall = (method: Method, path: string, body?: unknown) => Promise<Record<string, unknown>>;

export function adminClient(url: string, token: string, timeoutMs = 120_000): AdminCall {
  const base = url.replace(/\/+$/, '');
  return async (method, path, body) => {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: { code?: string } };
      if (e.name === 'TimeoutError') throw new DeskError('HQ_TIMEOUT', { url: base, seconds: timeoutMs / 1000 }, err);
      throw new DeskError('HQ_UNREACHABLE', { url: base, detail: e.cause?.code ?? e.message ?? 'network error', why: ioReason(err) }, err);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw hqAnswerError(base, res.status, res.statusText, text, undefined);
    }
    if (!res.ok) throw hqAnswerError(base, res.status, res.statusText, text, json);
    const { ok: _ok, ...rest } = json as Record<string, unknown>;
    return rest;
  };
}

const SEED = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '--seed is 1–32 letters, digits, - or _');
const CHUNK = 5_000;

function toHqMember(m: DemoMember, now: number) {
  return {
    id: m.id, cardNo: m.cardNo, name: m.name, phone: m.phone, birthday: m.birthday, tier: m.tier, tierSince: m.joinedAt,
    cardSerial: m.cardSerial, status: m.revoked ? 'revoked' : 'active', joinedAt: m.joinedAt, lastPurchaseAt: m.lastPurchaseAt,
    months: m.months,
    lots: m.lots.map((l, n) => ({ key: `S-${m.id}-${n + 1}`, earnedAt: l.earnedAt, expiresAt: l.expiresAt, points: l.points, remaining: l.points })),
    grants: m.grants.map((g) => ({ benefitId: g.benefitId, grantedAt: now, reason: g.reason, usedOpId: null })),
  };
}

/** HQ-side demo data, the same people and catalog as the terminal's `seed`. */
export async function seedDemoAtHq(call: AdminCall, options: { members: number; seed: string; now: number; hqKeyFile: string }, progress: (line: string) => void): Promise<Omit<SeedSummary, 'terminalId'>> {
  const now = demoNow(options.now);
  const key = demoHqKey(options.seed, `demo-${options.seed}`);
  const hqKeyFile = writeSecretFile(options.hqKeyFile, `${JSON.stringify(key, null, 2)}\n`, '--key-file');
  await call('PUT', '/v1/admin/stores', { stores: [DEMO_STORE, DEMO_OTHER_STORE] });
  await call('PUT', '/v1/admin/rules', DEFAULT_RULES);
  await call('PUT', '/v1/admin/terms', DEMO_TERMS);
  await call('POST', '/v1/admin/keys', { jwk: key, validFrom: now - 365 * 86_400_000 });
  const benefits = demoBenefits(now);
  await call('POST', '/v1/admin/benefits', { benefits });
  await call('POST', '/v1/admin/catalog', { items: DEMO_CATALOG });
  await call('PUT', '/v1/admin/stock', { storeId: DEMO_STORE.id, items: DEMO_STOCK });
  await call('POST', '/v1/admin/staff', {
    staff: [...DEMO_STAFF.map((s) => ({ ...s, storeId: DEMO_STORE.id })), ...DEMO_OTHER_STAFF.map((s) => ({ ...s, storeId: DEMO_OTHER_STORE.id }))],
  });

  const sample: SeedSummary['sample'] = [];
  let chunk: ReturnType<typeof toHqMember>[] = [];
  const chunks: (typeof chunk)[] = [];
  generateDemoMembers(options, (m) => {
    chunk.push(toHqMember(m, now));
    if (chunk.length === CHUNK) {
      chunks.push(chunk);
      chunk = [];
    }
    if (sample.length < 8 && !sample.some((s) => s.note === m.note)) sample.push({ mid: m.id, cs: m.cardSerial, tier: m.tier, cardNo: m.cardNo, phone: m.phone, note: m.note });
  });
  if (chunk.length > 0) chunks.push(chunk);
  let sent = 0;
  for (const c of chunks) {
    await call('POST', '/v1/admin/members', { members: c });
    sent += c.length;
    progress(`members ${sent}/${options.members}`);
  }
  return {
    members: options.members,
    benefits: benefits.length,
    catalog: DEMO_CATALOG.length,
    hqKeyFile,
    hqKeyId: key.kid,
    storeId: DEMO_STORE.id,
    sample,
    staff: DEMO_STAFF.map((s) => ({ ...s })),
  };
}

const ACTIONS = 'seed-demo --key-file F | enrollment-code | stores | members | benefits | catalog | rules | terms | staff | stock (each --file F.json) | delete-member --id | limits --terminal ID --file | rotate-key [--retire KID] [--out F] | revoke --member ID [--serial N] [--reason T] | brand --name-display full|masked | conflicts | terminals | restores | history-asks (each [--store ID])';

/** --file F's JSON. A refusal says which: the file cannot be read (and why) or is not JSON; the parser's English stays in `detail`. */
function fileBody(flags: Flags): unknown {
  const file = check(z.string().min(1), flags.file, 'file');
  const text = readFlagFile(file, '--file');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DeskError('INVALID_INPUT', { detailKey: 'flag.fileNotJson', flag: '--file', file, detail: err instanceof Error ? err.message : String(err) });
  }
}

export async function hqAdminCommand(flags: Flags, positionals: string[], now: number, err: (line: string) => void): Promise<unknown> {
  const url = check(z.url(), flags.hq, 'hq');
  const token = check(
    z.string().min(1),
    readSecret(flags, { flag: 'token', fileFlag: 'token-file', env: 'HQ_ADMIN_TOKEN' }, err),
    'token-file',
  );
  const call = adminClient(url, token);
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw new DeskError('INVALID_INPUT', { detailKey: 'command.extra', extra: extra.join(' ') });
  const store = flags.store === undefined ? undefined : check(z.string().min(1), flags.store, 'store');
  switch (action) {
    case 'seed-demo': {
      // HQ's demo signing key goes only where the operator says (never into the current folder by default).
      const keyFile = check(
        z.string().min(1),
        flags['key-file'],
        'key-file',
      );
      return seedDemoAtHq(
        call,
        {
          members: check(intArg(5_000_000).pipe(z.number().min(1)), flags.members ?? '2000', 'members'),
          seed: check(SEED, flags.seed ?? 'demo', 'seed'),
          now,
          hqKeyFile: checkSecretPath(keyFile, '--key-file'),
        },
        err,
      );
    }
    case 'enrollment-code':
      return call('POST', '/v1/admin/enrollment-codes', store ? { storeId: store } : {});
    case 'stores':
      return call('PUT', '/v1/admin/stores', fileBody(flags));
    case 'members':
      return call('POST', '/v1/admin/members', fileBody(flags));
    case 'benefits':
      return call('POST', '/v1/admin/benefits', fileBody(flags));
    case 'catalog':
      return call('POST', '/v1/admin/catalog', fileBody(flags));
    case 'rules':
      return call('PUT', '/v1/admin/rules', fileBody(flags));
    case 'terms':
      return call('PUT', '/v1/admin/terms', fileBody(flags));
    case 'staff':
      return call('POST', '/v1/admin/staff', fileBody(flags));
    case 'stock':
      return call('PUT', '/v1/admin/stock', fileBody(flags));
    case 'delete-member':
      return call('DELETE', `/v1/admin/members/${encodeURIComponent(check(z.string().min(1), flags.id, 'id'))}`);
    case 'limits':
      return call('PUT', `/v1/admin/terminals/${encodeURIComponent(check(z.string().min(1), flags.terminal, 'terminal'))}/limits`, fileBody(flags));
    case 'rotate-key': {
      // The place is checked before HQ rotates: a refused path must not lose the new private key.
      if (typeof flags.out === 'string') checkSecretPath(flags.out, '--out');
      const out = await call('POST', '/v1/admin/keys/rotate', typeof flags.retire === 'string' ? { retire: flags.retire } : {});
      const jwk = out.jwk as { kid: string; x: string };
      if (typeof flags.out !== 'string') return { kid: jwk.kid, x: jwk.x, note: 'the private key was not kept: pass --out FILE to keep it' };
      return { kid: jwk.kid, x: jwk.x, keyFile: writeSecretFile(flags.out, `${JSON.stringify(jwk, null, 2)}\n`, '--out') };
    }
    case 'revoke':
      return call('POST', '/v1/admin/revocations', {
        memberId: check(z.string().min(1), flags.member, 'member'),
        cardSerial: check(intArg(1_000_000), flags.serial ?? '0', 'serial'),
        ...(typeof flags.reason === 'string' ? { reason: flags.reason } : {}),
      });
    case 'brand':
      return call('PUT', '/v1/admin/brand', { nameDisplay: check(z.enum(NAME_DISPLAYS), flags['name-display'], 'name-display') });
    case 'conflicts':
      return call('GET', `/v1/admin/conflicts${store ? `?storeId=${encodeURIComponent(store)}` : ''}`);
    case 'terminals':
      return call('GET', `/v1/admin/terminals${store ? `?storeId=${encodeURIComponent(store)}` : ''}`);
    case 'restores':
      return call('GET', `/v1/admin/terminal-restores${store ? `?storeId=${encodeURIComponent(store)}` : ''}`);
    case 'history-asks':
      return call('GET', `/v1/admin/history-asks${store ? `?storeId=${encodeURIComponent(store)}` : ''}`);
    default:
      // The actions are listed on stderr (as an unknown command's usage is); the sentence points there.
      err(`usage: loyalty-desk hq-admin --hq URL ACTION …, where ACTION is one of: ${ACTIONS}`);
      throw new DeskError('INVALID_INPUT', action === undefined ? { detailKey: 'command.noAction' } : { detailKey: 'command.unknownAction', action });
  }
}
