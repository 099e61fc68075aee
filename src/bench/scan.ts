// `npm run bench` figures for scanning: decode time per 640×480 frame (zxing-wasm, as the camera's
// worker runs it), code verification, and scan-to-member-card in the core. Prints nothing; returns
// medians and p99s from sorted samples.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeFrame } from '../../renderer/scan/decodeFrame';
import { HQ_KEY_FILE, seedNewDatabase } from '../runtime/dataFolder';
import { memberCard } from '../terminal/operations/memberCard';
import { openTerminal } from '../terminal/operations/openTerminal';
import { scanMember } from '../terminal/operations/scan';
import { parseCode } from '../scan/codeFormat';
import { demoDeviceKey, demoHqKey, parsePrivateJwk } from '../scan/hqKeys';
import { mintAppCredential, mintCardCode, mintRotatingCode, stepAt } from '../scan/mintCode';
import { loadDecoderInNode } from './nodeDecoder';
import { frameWith, qrGray } from './syntheticFrames';
import { verifyCode, type SignedCode } from '../scan/verifyCode';

const NOW = Date.UTC(2026, 10, 23, 2, 0, 0);

function stats(samples: number[]): { n: number; medianMs: number; p99Ms: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, medianMs: +at(0.5).toFixed(4), p99Ms: +at(0.99).toFixed(4) };
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function benchDecode(): Promise<Record<string, unknown>> {
  await loadDecoderInNode();
  const hq = demoHqKey('bench', 'bench');
  const device = demoDeviceKey(hq, 'M00000001');
  const code = mintRotatingCode(mintAppCredential(hq, { mid: 'M00000001', cs: 1, dpk: device.dpk, exp: NOW / 1000 + 3600 }), device.privateKey, stepAt(NOW));
  const img = qrGray(code, 4);
  const withCode = [0, 13, 90, 160, 250, 330].map((angleDeg, i) => frameWith(img, { angleDeg, blur: 1, noise: 6, seed: i, at: [0.5 + i * 0.004, 0.5] }));
  const empty = [1, 2, 3].map((seed) => frameWith({ width: 1, height: 1, gray: new Uint8Array([200]) }, { blur: 1, noise: 6, seed }));
  for (const f of withCode) await decodeFrame(f); // warm up
  const found: number[] = [];
  const none: number[] = [];
  let read = 0;
  for (let round = 0; round < 10; round++) {
    for (const f of withCode) found.push(await timeAsync(async () => void ((await decodeFrame(f)) === code && read++)));
    for (const f of empty) none.push(await timeAsync(async () => void (await decodeFrame(f))));
  }
  return { frame: '640x480', codeChars: code.length, withCode: { ...stats(found), readRate: +(read / found.length).toFixed(3) }, noCode: stats(none) };
}

function benchVerify(): Record<string, unknown> {
  const hq = demoHqKey('bench', 'bench');
  const lookup = () => ({ kid: hq.kid, x: hq.x, validFrom: 0, validTo: null });
  const device = demoDeviceKey(hq, 'M00000001');
  const rotating = mintRotatingCode(mintAppCredential(hq, { mid: 'M00000001', cs: 1, dpk: device.dpk, exp: NOW / 1000 + 3600 }), device.privateKey, stepAt(NOW));
  const card = mintCardCode(hq, { mid: 'M00000001', cs: 1, iat: NOW / 1000 - 3600 });
  const run = (code: string) => {
    const samples: number[] = [];
    for (let i = 0; i < 3000; i++) samples.push(time(() => void verifyCode(parseCode(code) as SignedCode, lookup, NOW)));
    return stats(samples.slice(500));
  };
  return { rotating: run(rotating), static: run(card) };
}

function benchScanToCard(): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-scan-'));
  try {
    const dbPath = join(dir, 'desk.db');
    seedNewDatabase({ dbPath, members: 5000, seed: 'bench', now: NOW });
    const hq = parsePrivateJwk(readFileSync(join(dir, HQ_KEY_FILE), 'utf8'))!;
    const t = openTerminal(dbPath, { clock: () => NOW });
    try {
      const members = t.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT 2000").all() as { id: string; card_serial: number }[];
      const rotating = members.map((m) => {
        const d = demoDeviceKey(hq, m.id);
        return mintRotatingCode(mintAppCredential(hq, { mid: m.id, cs: m.card_serial, dpk: d.dpk, exp: NOW / 1000 + 3600 }), d.privateKey, stepAt(NOW));
      });
      const cards = members.map((m) => mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: NOW / 1000 - 3600 }));
      const run = (codes: string[]) => {
        const samples = codes.map((code) => time(() => void memberCard(t.service.deps, { memberId: scanMember(t.service.deps, code).member.id })));
        return stats(samples.slice(200));
      };
      return { members: 5000, rotating: run(rotating), static: run(cards) };
    } finally {
      t.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScan(): Promise<Record<string, unknown>> {
  return { decode: await benchDecode(), verify: benchVerify(), scanToMemberCard: benchScanToCard() };
}
