// kiosk.json (docs/kiosk.md): the idle time of a real kiosk is 30 s at least, so the 20 s "still
// there?" warning (WCAG 2.2.1) always fits inside it; less is CONFIG_INVALID, never a silent default.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { KIOSK_CONFIG_FILE, readKioskConfig } from '../../src/runtime/kioskConfig';
import { tempDir } from '../helpers/demoDb';

const tmp = tempDir('ld-kiosk-config-');
afterAll(() => tmp.cleanup());

describe('kiosk.json idleSeconds', () => {
  it('is 45 when absent (the warning 25 s after the last touch), accepts 30 and refuses anything shorter', () => {
    expect(readKioskConfig(tmp.dir).idleSeconds).toBe(45);
    writeFileSync(`${tmp.dir}/${KIOSK_CONFIG_FILE}`, JSON.stringify({ idleSeconds: 30 }));
    expect(readKioskConfig(tmp.dir).idleSeconds).toBe(30);
    for (const idleSeconds of [29, 10, 4, 1]) {
      writeFileSync(`${tmp.dir}/${KIOSK_CONFIG_FILE}`, JSON.stringify({ idleSeconds }));
      expect(() => readKioskConfig(tmp.dir)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
