// The data folder: everything for one terminal in one place — DIR/desk.db and DIR/config.json.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { entityIdSchema } from '../../contract/inputs';
import { LANGS } from '../../loyalty/types';
import type { PrinterAllowance } from '../../print/printerPolicy';
import { readSettingsFile } from './settingsFile';

export const DB_FILE = 'desk.db';
export const CONFIG_FILE = 'config.json';

/** Changes whenever config.json is rewritten (or appears, or goes): what the hosts' settings watchers compare. */
export function configStamp(dataDir: string): string {
  try {
    const st = statSync(join(dataDir, CONFIG_FILE));
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'absent';
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const scannerConfigSchema = z
  .object({
    wedge: z
      .object({
        enabled: z.boolean().default(true),
        /** Keystrokes closer than this belong to a scanner burst. */
        maxInterKeyMs: z.number().int().min(5).max(200).default(35),
        minLength: z.number().int().min(4).max(64).default(8),
      })
      .strict()
      .default({ enabled: true, maxInterKeyMs: 35, minLength: 8 }),
    serial: z
      .object({ port: z.string().min(1).nullable().default(null), baud: z.number().int().positive().default(9600) })
      .strict()
      .default({ port: null, baud: 9600 }),
    camera: z.object({ deviceId: z.string().nullable().default(null) }).strict().default({ deviceId: null }),
  })
  .strict();

export const deskConfigSchema = z
  .object({
    storeId: entityIdSchema,
    terminalId: entityIdSchema,
    tz: z.string().refine(isTimeZone, 'not an IANA time zone').default('Asia/Shanghai'),
    printer: z.string().min(1).nullable().default(null),
    scanner: scannerConfigSchema.default(scannerConfigSchema.parse({})),
    lang: z.enum(LANGS).default('zh-CN'),
    // Written by the IT person by hand, never by the manager's settings (docs/security.md): more TCP
    // ports a network printer may listen on (besides 9100–9109), and more serial ports (exact paths,
    // besides /dev/tty*, /dev/serial/…, COMn) a printer or scanner may be on.
    printerPorts: z.array(z.number().int().min(1024, 'a printer port is 1024–65535').max(65535)).max(32).optional(),
    serialPaths: z.array(z.string().min(1).max(300).regex(/^\/[^\0?]*$|^COM\d{1,3}$/i, 'a serial port is a path starting with / or COMn')).max(32).optional(),
  })
  .strict();
export type DeskConfig = z.infer<typeof deskConfigSchema>;

/** What config.json adds to where a printer or serial scanner may be (none without a file). */
export function printerAllowance(config: Pick<DeskConfig, 'printerPorts' | 'serialPaths'> | null): PrinterAllowance {
  return { ports: config?.printerPorts ?? [], serialPaths: config?.serialPaths ?? [] };
}

export function readConfig(dir: string): DeskConfig | null {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return null;
  return readSettingsFile(path, deskConfigSchema, 'desk');
}

export function writeConfig(dir: string, config: DeskConfig): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}
