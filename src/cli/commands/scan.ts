// `loyalty-desk` commands of the scan domain: `scan` a code as the desk would, `member-qr` to make one.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import QRCode from 'qrcode';
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { memberIdSchema } from '../../contract/inputs';
import { parsePrivateJwk, demoDeviceKey, type PrivateJwk } from '../../scan/hqKeys';
import { mintAppCredential, mintCardCode, mintRotatingCode, stepAt } from '../../scan/mintCode';
import { getMember } from '../../store/members';
import { signedCodeOfCurrentCard } from '../../store/replacedCards';
import { HQ_KEY_FILE } from '../../runtime/dataFolder';
import { openTerminal, type OpenedTerminal } from '../../terminal/operations/openTerminal';
import { check, clockFrom, dbPathFrom, readFlagFile, type Flags } from '../args';
import type { Command } from '../command';
import { callAs } from '../operator';

/** How long the demo app's device key is certified for. */
const DEMO_CREDENTIAL_S = 7 * 24 * 3600;

function withTerminal<T>(flags: Flags, now: number, fn: (t: OpenedTerminal, dbPath: string) => T): T {
  const dbPath = dbPathFrom(flags);
  const t = openTerminal(dbPath, { clock: () => now, quickCheck: 'after-crash' });
  try {
    return fn(t, dbPath);
  } finally {
    t.close();
  }
}

/** HQ's signing key (a private JWK) from --signing-key or beside the database; each refusal worded in input.flag.*. */
function readHqKey(flags: Flags, dbPath: string): PrivateJwk {
  const path = typeof flags['signing-key'] === 'string' ? flags['signing-key'] : join(dirname(dbPath), HQ_KEY_FILE);
  if (!existsSync(path)) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.noSigningKey', flag: '--signing-key', file: path });
  const key = parsePrivateJwk(readFlagFile(path, '--signing-key'));
  if (!key) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.notSigningKey', flag: '--signing-key', file: path });
  return key;
}

/** The desk's scan (scan.submit), as the operator: what was checked and the member as the desk shows them. */
export async function scanCommand(flags: Flags, positionals: string[]) {
  if (positionals.length !== 1) throw new DeskError('INVALID_INPUT', { detailKey: 'command.codeCount', count: positionals.length });
  const { check: verified, via, member } = await callAs(flags, 'scan.submit', { code: positionals[0]! });
  return { verified, via, member };
}

export async function memberQrCommand(flags: Flags, now: number) {
  const memberId = check(z.string().pipe(memberIdSchema), flags.member, 'member');
  const png = flags.png === undefined ? null : check(z.string().min(1), flags.png, 'png');
  const code = withTerminal(flags, now, (t, dbPath) => {
    const member = getMember(t.db, memberId);
    if (!member) throw new DeskError('UNKNOWN_MEMBER', { ref: memberId });
    // A replaced card's code as HQ signed it (docs/lostcard.md): what an enrolled terminal, which
    // holds no HQ key, can print for the new card once the replacement has synced.
    const signed = flags.rotating === true || flags['signing-key'] !== undefined ? null : signedCodeOfCurrentCard(t.db, member.id);
    if (signed !== null) return signed;
    const hq = readHqKey(flags, dbPath);
    const nowS = Math.floor(now / 1000);
    if (flags.rotating !== true) return mintCardCode(hq, { mid: member.id, cs: member.card_serial, iat: nowS });
    const device = demoDeviceKey(hq, member.id);
    const credential = mintAppCredential(hq, { mid: member.id, cs: member.card_serial, dpk: device.dpk, exp: nowS + DEMO_CREDENTIAL_S });
    return mintRotatingCode(credential, device.privateKey, stepAt(now));
  });
  if (png !== null) await QRCode.toFile(png, code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 });
  return png === null ? { code } : { code, png };
}

export const scanCommands: Record<string, Command> = {
  scan: { run: (f, { positionals }) => scanCommand(f, positionals), flags: [] },
  'member-qr': {
    run: (f, { io }) => memberQrCommand(f, clockFrom(f)?.() ?? io.now()),
    flags: ['member', 'png', 'signing-key'],
    booleans: ['rotating'],
  },
};
