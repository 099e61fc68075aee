// doctor for a person (issue 19 item 5): every finding has a sentence and what to do in zh-CN, zh-TW
// and en, with no English of ours inside the Chinese; the command line says them in --lang; and
// `doctor --bundle FILE` writes a support bundle (exit 0 whatever the findings) that holds the
// report, the config, recent logs, versions and the printer's state (the fake printer, a real TCP
// server), and none of the database key, the HQ credential, PINs, phones or names.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { DOCTOR_CODES } from '../../src/contract/managerTypes';
import { createTranslator } from '../../src/i18n';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { keyFileOf } from '../../src/store/dbKey';
import { openStore } from '../../src/store/open';
import { setSyncState } from '../../src/store/syncState';
import { setMeta } from '../../src/store/meta';
import { DEMO_STAFF } from '../../src/terminal/demo/catalog';
import { generateDemoMembers } from '../../src/terminal/demo/members';
import { describeFindings } from '../../src/terminal/manager/doctor';
import { writeConfig, readConfig } from '../../src/terminal/operations/config';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { seedNewDatabase } from '../../src/runtime/dataFolder';

const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const SEED = 'doctor';
const MEMBERS = 60;
const CREDENTIAL = 'cred-7c1e5b9a2f8d4e6b0a3c';

/** Latin words left in a Chinese sentence once command lines are taken out: there should be none. */
function englishIn(text: string): string[] {
  const withoutCommands = text.replace(/loyalty-desk [a-z]+(-[a-z]+)*( --[a-z]+)?/g, '');
  return withoutCommands.match(/[A-Za-z]{2,}/g) ?? [];
}

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let printer: FakePrinter;
const seededAt = Date.now();

async function cli(...args: string[]): Promise<{ code: number; json: any }> {
  const out: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: () => undefined, now: () => Date.now() });
  return { code, json: JSON.parse(out.join('\n')) };
}

beforeAll(async () => {
  tmp = tempDir('ld-doctor-');
  dataDir = join(tmp.dir, 'data');
  seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: MEMBERS, seed: SEED, now: seededAt });
  // work that leaves lines in the logs and two receipts waiting (no printer set yet)
  for (const m of ['M00000002', 'M00000003']) expect((await cli('redeem', '--data', dataDir, '--member', m, '--benefit', 'B-SVC-WRAP', '--staff', 'clerk-01')).code).toBe(0);
  await cli('member', '--data', dataDir, '--card', '8860000000000036', '--phone', '13800000000');
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dataDir, printer.allow);
  writeConfig(dataDir, { ...readConfig(dataDir)!, printer: printer.uri });
  // an "enrolled" terminal, last synced two days ago, whose credential must stay out of the bundle
  const { db } = openStore(join(dataDir, 'desk.db'), { create: false });
  setSyncState(db, 'hq_url', 'http://127.0.0.1:9/');
  setSyncState(db, 'credential', CREDENTIAL);
  setMeta(db, 'last_sync_at', String(Date.now() - 49 * 3_600_000));
  db.close();
}, 60_000);

afterAll(async () => {
  await printer?.close();
  tmp?.cleanup();
});

describe('doctor for a person', () => {
  it.each(LANGS)('words every finding and what to do in %s', (lang) => {
    const tr = createTranslator(lang);
    const all = describeFindings(DOCTOR_CODES.map((code) => ({ code, params: { count: 3, seq: 12, hours: 30, problems: 2, attempts: 4, state: 'paper-out', backupAt: '2026-11-23 10:00', since: '2026-11-23 10:00', failures: 3, folder: '/1/2', errorCode: 'BACKUP_FAILED', path: '/1/2', detail: '28' } })), tr);
    for (const f of all) {
      expect(f.title, f.code).not.toMatch(/support\.doctor|\{\{|\}\}/);
      expect(f.action, f.code).not.toMatch(/support\.doctor|\{\{|\}\}/);
      expect(f.title.length, f.code).toBeGreaterThan(5);
      expect(f.action.length, f.code).toBeGreaterThan(3);
      if (lang !== 'en') expect(englishIn(`${f.title} ${f.action}`), f.code).toEqual([]);
    }
    // the printer's state is said in the language too
    expect(all.find((f) => f.code === 'PRINTER_FAULT')!.title).toContain(tr.t('printerState.paper-out'));
  });

  it('says "no printer set up" (a note, with how to set one) instead of printer advice when config.json names none', async () => {
    const config = readConfig(dataDir)!;
    writeConfig(dataDir, { ...config, printer: null });
    try {
      const r = await cli('doctor', '--data', dataDir, '--lang', 'zh-CN');
      const tr = createTranslator('zh-CN');
      const codes = r.json.findings.map((f: { code: string }) => f.code);
      expect(codes).not.toContain('RECEIPTS_WAITING');
      expect(codes).not.toContain('PRINTER_FAULT');
      const none = r.json.findings.find((f: { code: string }) => f.code === 'PRINTER_NOT_SET');
      expect(none).toMatchObject({ severity: 'info', params: { count: 2 }, title: tr.t('support.doctor.PRINTER_NOT_SET.title', { count: 2 }), action: tr.t('support.doctor.PRINTER_NOT_SET.action') });
      expect(none.action).toContain('设置向导');
      // Below every warning.
      const severities = r.json.findings.map((f: { severity: string }) => f.severity);
      expect(severities.indexOf('info')).toBeGreaterThan(severities.lastIndexOf('warn'));
    } finally {
      writeConfig(dataDir, config);
    }
  });

  it.each(LANGS)('doctor --lang %s answers the findings in that language', async (lang) => {
    const r = await cli('doctor', '--data', dataDir, '--lang', lang);
    expect(r.code).toBe(0);
    const tr = createTranslator(lang);
    const codes = r.json.findings.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['SYNC_STALE', 'OUTBOX_WAITING', 'RECEIPTS_WAITING']));
    expect(r.json.findings.find((f: { code: string }) => f.code === 'SYNC_STALE').params).toEqual({ hours: 49 });
    const waiting = r.json.findings.find((f: { code: string }) => f.code === 'RECEIPTS_WAITING');
    expect(waiting).toMatchObject({ severity: 'warn', params: { count: 2 }, title: tr.t('support.doctor.RECEIPTS_WAITING.title', { count: 2 }) });
    expect(r.json.healthy).toBe(true);
  });

  it('writes a support bundle with the report, config, logs, versions and printer state, and no secret', async () => {
    const file = join(tmp.dir, 'bundle.json');
    const r = await cli('doctor', '--data', dataDir, '--bundle', file, '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.json.bundle.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const bundle = JSON.parse(text);
    expect(bundle.kind).toBe('loyalty-desk-support-bundle');
    expect(bundle.versions).toMatchObject({ app: expect.any(String), node: process.versions.node });
    expect(bundle.report.findings.map((f: { code: string }) => f.code)).toContain('RECEIPTS_WAITING');
    expect(bundle.config).toMatchObject({ storeId: 'SH001', printer: printer.uri });
    expect(bundle.printer).toMatchObject({ uri: printer.uri, state: { state: 'ready' } });
    expect(bundle.scanner).toHaveProperty('configured');
    expect(bundle.logs.lines.filter((l: { event: string; method?: string }) => l.event === 'call' && l.method === 'benefit.redeem').length).toBe(2);

    const secrets: string[] = [CREDENTIAL, readFileSync(keyFileOf(join(dataDir, 'desk.db')), 'utf8').trim(), '13800000000', '8860000000000036'];
    generateDemoMembers({ seed: SEED, now: seededAt, members: MEMBERS }, (m) => secrets.push(m.phone, m.name, m.cardNo));
    for (const s of DEMO_STAFF) secrets.push(s.name, `"${s.pin}"`);
    const hqKey = readFileSync(join(dataDir, 'hq-demo-key.jwk.json'), 'utf8');
    secrets.push((JSON.parse(hqKey) as { d: string }).d);
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
  });

  it('exits 0 with a bundle whatever the findings; without one a broken audit chain is exit 2', async () => {
    printer.setFault({ fault: 'paper-out' });
    const { db } = openStore(join(dataDir, 'desk.db'), { create: false });
    db.prepare("UPDATE audit SET content_json = replace(content_json, 'M00000002', 'M00000009') WHERE seq = 1").run();
    db.close();
    const plain = await cli('doctor', '--data', dataDir, '--lang', 'en');
    expect(plain.code).toBe(2);
    expect(plain.json.error.code).toBe('AUDIT_CHAIN_BROKEN');
    const file = join(tmp.dir, 'bundle-broken.json');
    const r = await cli('doctor', '--data', dataDir, '--bundle', file, '--lang', 'zh-TW');
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundle.report.healthy).toBe(false);
    const codes = bundle.report.findings.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['AUDIT_CHAIN_BROKEN', 'PRINTER_FAULT']));
    expect(bundle.report.findings[0]).toMatchObject({ severity: 'problem', title: createTranslator('zh-TW').t('support.doctor.AUDIT_CHAIN_BROKEN.title', { seq: 1 }) });
    printer.setFault({ fault: 'none' });
  });
});
