// Device settings the manager changes at the desk, kept in the data folder's config.json (zod-checked
// on the way in and out): printer address, scanner, camera, UI language. The store's time zone and
// the offline risk limits come from HQ and are shown as HQ set them. Every change is audited with
// each changed field's old and new value; the printer address and the serial scanner port are held
// to where a device may be (src/print/printerPolicy.ts) with what IT listed in config.json.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { ioReason } from '../../contract/ioReason';
import { settingsPatchSchema } from '../../contract/managerContract';
import { parsePrinterUri } from '../../print/printerUri';
import { serialPathAllowed } from '../../print/printerPolicy';
import { appendAudit } from '../../store/audit';
import { actorOf, approvalData, requireActor, type ManagerAct } from './approval';
import { CONFIG_FILE, deskConfigSchema, printerAllowance, readConfig, type DeskConfig } from '../operations/config';
import type { ServiceDeps } from '../operations/deps';
import { requireManager } from '../operations/lookups';
import type { DeskSettings } from '../../contract/managerTypes';

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

function dataDir(deps: ServiceDeps): string {
  return dirname(deps.db.name);
}

function currentConfig(deps: ServiceDeps): DeskConfig {
  return readConfig(dataDir(deps)) ?? deskConfigSchema.parse({ storeId: deps.identity.storeId, terminalId: deps.identity.terminalId, tz: deps.identity.tz });
}

export function readSettings(deps: ServiceDeps): DeskSettings {
  const c = currentConfig(deps);
  return { printer: c.printer, scanner: c.scanner, lang: c.lang, tz: deps.identity.tz, offlineLimits: deps.rules.offline, configPath: join(dataDir(deps), CONFIG_FILE) };
}

/** One audited change: a setting's dotted name, its value before and after. */
interface SettingChange {
  field: string;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

type Leaf = string | number | boolean | null;
// The settings hold no secret today; a field named like one is never written to the audit in clear.
const SECRET_FIELD = /(?:^|\.)(?:pass(?:word|phrase)?|secret|token|credential|pin|pin_?hash|api_?key|private_?key)$/i;

function leaves(value: unknown, prefix: string, out: Map<string, Leaf>): Map<string, Leaf> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value === undefined ? null : Array.isArray(value) ? JSON.stringify(value) : (value as Leaf));
  }
  return out;
}

/** The settings that differ, field by field (scanner.serial.port, not "scanner"). */
function settingChanges(before: Pick<DeskConfig, 'printer' | 'lang' | 'scanner'>, after: Pick<DeskConfig, 'printer' | 'lang' | 'scanner'>): SettingChange[] {
  const pick = (c: typeof before) => ({ printer: c.printer, lang: c.lang, scanner: c.scanner });
  const a = leaves(pick(before), '', new Map());
  const b = leaves(pick(after), '', new Map());
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  return fields
    .filter((f) => a.get(f) !== b.get(f))
    .map((field) => (SECRET_FIELD.test(field) ? { field, from: '[hidden]', to: '[hidden]' } : { field, from: a.get(field) ?? null, to: b.get(field) ?? null }));
}

/** Checks and writes the new settings (whole file replaced by rename: never half-written), audited. */
export function updateSettings(deps: ServiceDeps, by: string | ManagerAct, patch: SettingsPatch): DeskSettings & { changed: string[] } {
  const act: ManagerAct = typeof by === 'string' ? { managerId: by } : by;
  requireManager(deps, act.managerId);
  requireActor(deps, act);
  const before = currentConfig(deps);
  const allow = printerAllowance(before);
  const printer = patch.printer === undefined ? before.printer : patch.printer === null || patch.printer === '' ? null : parsePrinterUri(patch.printer, allow).uri;
  const serialPort = patch.scanner?.serial?.port;
  if (serialPort && serialPort !== before.scanner.serial.port && !serialPathAllowed(serialPort, allow)) {
    throw new DeskError('SCANNER_PORT_REFUSED', { path: serialPort });
  }
  const next = deskConfigSchema.parse({
    ...before,
    printer,
    lang: patch.lang ?? before.lang,
    scanner: { ...before.scanner, ...(patch.scanner ?? {}) },
  });
  const changed = (['printer', 'lang', 'scanner'] as const).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
  if (changed.length > 0) {
    const changes = settingChanges(before, next);
    const path = join(dataDir(deps), CONFIG_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    const fail = (err: unknown) => new DeskError('FILE_WRITE_FAILED', { path, detail: err instanceof Error ? err.message : String(err), why: ioReason(err) });
    try {
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
    } catch (err) {
      throw fail(err);
    }
    // The audit entry and the file change together: the rename is the transaction's last step, so
    // a rename that fails leaves no entry, and no change is made without one.
    try {
      deps.db.transaction(() => {
        appendAudit(deps.db, { at: deps.clock(), actor: actorOf(act), action: 'settings.update', ref: CONFIG_FILE, data: { changed, changes, ...approvalData(act) } });
        try {
          renameSync(tmp, path);
        } catch (err) {
          throw fail(err);
        }
      }).immediate();
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  return { ...readSettings(deps), changed };
}
