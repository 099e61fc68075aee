// Codes for tests: minted with the demo HQ key of a seeded terminal, plus a stranger's key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDeviceKey, demoHqKey, parsePrivateJwk, type PrivateJwk } from '../../src/scan/hqKeys';
import { mintAppCredential, mintCardCode, mintRotatingCode, stepAt } from '../../src/scan/mintCode';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';

export function hqKeyOf(dir: string): PrivateJwk {
  const key = parsePrivateJwk(readFileSync(join(dir, HQ_KEY_FILE), 'utf8'));
  if (!key) throw new Error('no demo HQ key');
  return key;
}

/** A key the terminal does not trust, with the demo key's kid or its own. */
export const strangerKey = (kid = 'stranger') => demoHqKey('stranger', kid);

export function cardCode(hq: PrivateJwk, mid: string, cs: number, nowMs: number): string {
  return mintCardCode(hq, { mid, cs, iat: Math.floor(nowMs / 1000) - 86_400 });
}

export function appCode(hq: PrivateJwk, mid: string, cs: number, nowMs: number, o: { stepOffset?: number; expS?: number } = {}): string {
  const device = demoDeviceKey(hq, mid);
  const credential = mintAppCredential(hq, { mid, cs, dpk: device.dpk, exp: o.expS ?? Math.floor(nowMs / 1000) + 86_400 });
  return mintRotatingCode(credential, device.privateKey, stepAt(nowMs) + (o.stepOffset ?? 0));
}
