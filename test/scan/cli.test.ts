// `loyalty-desk member-qr` and `loyalty-desk scan`: a code made, drawn as a PNG, read back from the
// image and scanned, with the exit codes the CLI promises.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../renderer/scan/decodeFrame';
import { main } from '../../src/cli/main';
import { loadDecoderInNode } from '../../src/bench/nodeDecoder';
import { frameWith, pngToGray } from '../../src/bench/syntheticFrames';
import { NOW, seedDemoDb } from '../helpers/demoDb';
import { cli } from '../helpers/cliChild';

const NOW_S = String(NOW / 1000);

async function inProcess(...args: string[]): Promise<{ code: number; json: Record<string, any> }> {
  const out: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: () => {}, now: () => NOW });
  return { code, json: JSON.parse(out.join('')) };
}

let seeded: ReturnType<typeof seedDemoDb>;
beforeAll(async () => {
  await loadDecoderInNode();
  seeded = seedDemoDb(200);
});
afterAll(() => seeded.cleanup());

describe('member-qr and scan', () => {
  it('makes a rotating code as a PNG that reads back and scans once (exit 0), then is a replay (exit 2)', async () => {
    const png = join(seeded.dir, 'm1.png');
    const made = await cli('member-qr', '--db', seeded.dbPath, '--member', 'M00000001', '--rotating', '--png', png, '--now', NOW_S);
    expect(made.code).toBe(0);
    expect(made.json.code).toMatch(/^LD1D\./);
    const text = await decodeFrame(frameWith(pngToGray(readFileSync(png)), { width: 900, height: 900, angleDeg: 8, blur: 1, noise: 5, at: [0.5, 0.51] }));
    expect(text).toBe(made.json.code);
    const first = await cli('scan', '--db', seeded.dbPath, '--now', String(Number(NOW_S) + 29), text!);
    expect(first).toMatchObject({ code: 0, json: { ok: true, verified: 'rotating', member: { id: 'M00000001' } } });
    const again = await cli('scan', '--db', seeded.dbPath, '--now', String(Number(NOW_S) + 31), '--lang', 'en', text!);
    expect(again).toMatchObject({ code: 2, json: { ok: false, error: { code: 'REPLAYED' } } });
    expect(again.json.error.message).toMatch(/already scanned/);
  });

  it('makes the same static code for the same member and time, signed by the demo key or --signing-key', async () => {
    const a = await inProcess('member-qr', '--db', seeded.dbPath, '--member', 'M00000002', '--now', NOW_S);
    const b = await inProcess('member-qr', '--db', seeded.dbPath, '--member', 'M00000002', '--now', NOW_S);
    expect(a.json.code).toMatch(/^LD1C\./);
    expect(a.json.code).toBe(b.json.code);
    const key = join(seeded.dir, 'copy.jwk.json');
    copyFileSync(join(seeded.dir, 'hq-demo-key.jwk.json'), key);
    expect((await inProcess('member-qr', '--db', seeded.dbPath, '--member', 'M00000002', '--signing-key', key, '--now', NOW_S)).json.code).toBe(a.json.code);
    expect(await inProcess('scan', '--db', seeded.dbPath, '--now', NOW_S, a.json.code)).toMatchObject({ code: 0, json: { verified: 'signed' } });
  });

  it('scans a plain card number as unverified', async () => {
    const r = await inProcess('scan', '--db', seeded.dbPath, '--now', NOW_S, '8860000000000010');
    expect(r).toMatchObject({ code: 0, json: { ok: true, verified: 'unverified', via: 'card', member: { id: 'M00000001' } } });
    // Of the phone only its last four digits: the check asks for the whole number.
    expect(r.json.member.maskedPhone).toMatch(/^\*{4}\d{4}$/);
  });

  it.each([
    ['no code', ['scan', '--db', 'DB'], 'INVALID_INPUT'],
    ['two codes', ['scan', '--db', 'DB', 'a', 'b'], 'INVALID_INPUT'],
    // The desk's own input check (scan.submit): an empty scan or one longer than any code.
    ['an empty code', ['scan', '--db', 'DB', ''], 'INVALID_INPUT'],
    ['10 KB of text', ['scan', '--db', 'DB', 'x'.repeat(10_240)], 'INVALID_INPUT'],
    ['a URL', ['scan', '--db', 'DB', 'https://weixin.qq.com/r/abc'], 'MALFORMED'],
    ['an unknown card', ['scan', '--db', 'DB', '8860999999999999'], 'UNKNOWN_MEMBER'],
    ['an unknown member for member-qr', ['member-qr', '--db', 'DB', '--member', 'M99999999'], 'UNKNOWN_MEMBER'],
    ['a bad member id', ['member-qr', '--db', 'DB', '--member', '../x'], 'INVALID_INPUT'],
    ['a key file that is not a key', ['member-qr', '--db', 'DB', '--member', 'M00000001', '--signing-key', 'KEY'], 'INVALID_INPUT'],
  ])('refuses %s with exit 2', async (_name, args, expected) => {
    const bad = join(seeded.dir, 'not-a-key.json');
    writeFileSync(bad, '{"kty":"RSA"}');
    const r = await inProcess(...args.map((a) => (a === 'DB' ? seeded.dbPath : a === 'KEY' ? bad : a)), '--now', NOW_S);
    expect(r).toMatchObject({ code: 2, json: { ok: false, error: { code: expected } } });
  });
});
