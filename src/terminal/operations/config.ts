// The data folder: everything for one terminal in one place — DIR/desk.db and DIR/config.json.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { entityIdSchema } from '../../contract/inputs';
import { DeskError } from '../../contract/errors';
import { LANGS } from '../../loyalty/types';
import { describeZodError } from '../../i18n/zodLocale';

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
  })
  .strict();
export type DeskConfig = z.infer<typeof deskConfigSchema>;

export function readConfig(dir: string): DeskConfig | null {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DeskError('CONFIG_INVALID', { path, detail: err instanceof Error ? err.message : String(err) });
  }
  const parsed = deskConfigSchema.safeParse(raw);
  if (!parsed.success) throw new DeskError('CONFIG_INVALID', { path, detail: describeZodError(parsed.error) });
  return parsed.data;
}

export function writeConfig(dir: string, config: DeskConfig): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}
