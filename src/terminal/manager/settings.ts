// Device settings the manager changes at the desk, kept in the data folder's config.json (zod-checked
// on the way in and out): printer address, scanner, camera, UI language. The store's time zone and
// the offline risk limits come from HQ and are shown as HQ set them.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { settingsPatchSchema } from '../../contract/managerContract';
import { parsePrinterUri } from '../../print/printerUri';
import { appendAudit } from '../../store/audit';
import { CONFIG_FILE, deskConfigSchema, readConfig, type DeskConfig } from '../operations/config';
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

/** Checks and writes the new settings (whole file replaced by rename: never half-written), audited. */
export function updateSettings(deps: ServiceDeps, managerId: string, patch: SettingsPatch): DeskSettings & { changed: string[] } {
  requireManager(deps, managerId);
  const before = currentConfig(deps);
  const printer = patch.printer === undefined ? before.printer : patch.printer === null || patch.printer === '' ? null : parsePrinterUri(patch.printer).uri;
  const next = deskConfigSchema.parse({
    ...before,
    printer,
    lang: patch.lang ?? before.lang,
    scanner: { ...before.scanner, ...(patch.scanner ?? {}) },
  });
  const changed = (['printer', 'lang', 'scanner'] as const).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
  if (changed.length > 0) {
    const path = join(dataDir(deps), CONFIG_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
      renameSync(tmp, path);
    } catch (err) {
      throw new DeskError('FILE_WRITE_FAILED', { path, detail: err instanceof Error ? err.message : String(err) });
    }
    deps.db.transaction(() => {
      appendAudit(deps.db, { at: deps.clock(), actor: managerId, action: 'settings.update', ref: CONFIG_FILE, data: { changed, printer: next.printer, lang: next.lang } });
    }).immediate();
  }
  return { ...readSettings(deps), changed };
}
