// The kiosk's own settings, DIR/kiosk.json next to config.json (which stays the desk's): how long a
// page stays without a touch, whether a camera viewfinder shows, how many slips a visit may print.
// Absent file → defaults; a file that does not parse is CONFIG_INVALID, never a silent default.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readSettingsFile } from '../terminal/operations/settingsFile';

export const KIOSK_CONFIG_FILE = 'kiosk.json';

export const kioskConfigSchema = z
  .object({
    /**
     * Back to the attract screen after this many seconds without a touch. At least 30: the last 20 s
     * are the "still there?" warning (WCAG 2.2.1), which a shorter time would cut. Tests shorten it
     * through the runtime's `kiosk` option, which this file's reader never sees. 45 by default: at 30
     * the warning came 10 s after the last touch, while an elderly member was still reading the page.
     */
    idleSeconds: z.number().min(30).max(600).default(45),
    /** The core drops a page this long after the scan, whatever the screen does. */
    pageTtlSeconds: z.number().int().min(10).max(3600).default(300),
    /** Show the camera viewfinder on the attract screen (config.json scanner.camera picks the device). */
    camera: z.boolean().default(false),
    /** Slips one visit may print; 0 hides the print button. */
    maxSlips: z.number().int().min(0).max(5).default(2),
    /** A slip not printed by then is withdrawn (the member will not wait longer). */
    slipWaitSeconds: z.number().int().min(3).max(120).default(20),
  })
  .strict();
export type KioskConfig = z.infer<typeof kioskConfigSchema>;

export function readKioskConfig(dir: string): KioskConfig {
  const path = join(dir, KIOSK_CONFIG_FILE);
  if (!existsSync(path)) return kioskConfigSchema.parse({});
  return readSettingsFile(path, kioskConfigSchema, 'kiosk');
}
