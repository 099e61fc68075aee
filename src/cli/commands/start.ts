// `start` (npm start): prepares the data folder (demo data on first run) and says where it is and
// how to sign in. The desk UI (web host / Electron) is started from here once it lands.
import { z } from 'zod';
import type { Translator } from '../../i18n';
import { defaultDataDir } from '../../terminal/config';
import { DEMO_STAFF } from '../../terminal/demoCatalog';
import { prepareDataFolder } from '../../terminal/dataFolder';
import { check, type Flags } from '../args';

export function startCommand(flags: Flags, tr: Translator, now: number, log: (line: string) => void) {
  const dir = check(z.string().min(1).default(defaultDataDir()), flags.data);
  const prepared = prepareDataFolder(dir, now);
  log(tr.t('start.dataFolder', { dir: prepared.dir }));
  log(prepared.seeded ? tr.t('start.seeded', { members: prepared.seeded.members }) : tr.t('start.existing', { db: prepared.dbPath }));
  log(tr.t('start.pins', { pins: DEMO_STAFF.map((s) => `${s.name} (${s.role}) ${s.pin}`).join(', ') }));
  return { dataDir: prepared.dir, db: prepared.dbPath, seeded: prepared.seeded !== null, sample: prepared.seeded?.sample ?? null };
}
