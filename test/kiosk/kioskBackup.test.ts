// The kiosk keeps daily backups like the desk (issue 19): it has its own encrypted desk.db (its
// slips, its sync with HQ), so its runtime runs the same daily backup into the folder beside its
// data folder, and closing waits for one being written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { openKioskRuntime } from '../../src/runtime/kioskRuntime';
import { backupFolderFor } from '../../src/store/backup';
import { listDailyBackups } from '../../src/store/backupRotation';
import { DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { tempDir } from '../helpers/demoDb';

const tmp = tempDir('ld-kiosk-backup-');
afterAll(() => tmp.cleanup());

describe('the kiosk runtime', () => {
  it('makes its daily backup beside its data folder, once a day', async () => {
    const dataDir = join(tmp.dir, 'kiosk');
    seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: 20, seed: 'kiosk-backup', now: Date.now() });
    const kiosk = openKioskRuntime({ dataDir, printerUri: null, onScan: () => undefined });
    try {
      const made = await kiosk.backups.check();
      expect(made?.header).toMatchObject({ kind: 'daily', terminalId: DEMO_TERMINAL });
      expect(existsSync(made!.path)).toBe(true);
      expect(listDailyBackups(backupFolderFor(join(dataDir, 'desk.db')), DEMO_TERMINAL)).toHaveLength(1);
      // Later the same day: nothing more.
      expect(await kiosk.backups.check()).toBeNull();
    } finally {
      await kiosk.close();
    }
  });
});
