// The other areas' figures (scanning, printing, sync, UI), each measured by its own module.
// One area failing is reported beside the others rather than losing the whole run.
const AREAS = {
  // A real command's start against a bare Node start (the built JavaScript, issue 14).
  cli: async (quick: boolean) => (await import('./cliStart')).benchCliStart(quick ? 7 : 15),
  scan: async () => (await import('./scan')).benchScan(),
  print: async () => (await import('./print')).benchPrint(),
  sync: async (quick: boolean) => (await import('./sync')).benchSync(quick ? { members: 20_000, deltaChanges: 2_000, pushEvents: 2_000 } : {}),
  // 500 terminals syncing at once against two HQ processes on one PostgreSQL (needs DATABASE_URL).
  load: async (quick: boolean) => (await import('./loadRun')).benchLoadRun(quick),
  ui: async () => (await import('./ui')).benchUi(),
  kiosk: async () => (await import('./kiosk')).benchKiosk(),
  // Encryption at rest: seed and redemption commit, encrypted ÷ plain, in one run (issue 16).
  encryption: async (quick: boolean) => (await import('./encryption')).benchEncryption(quick),
  dayend: async (quick: boolean) => (await import('./dayEnd')).benchDayEnd(quick ? { members: 100_000 } : {}),
} as const;

export type Area = keyof typeof AREAS | 'core';
export const ALL_AREAS: readonly Area[] = ['core', 'cli', 'scan', 'print', 'sync', 'load', 'ui', 'kiosk', 'dayend', 'encryption'];

export async function benchAreas(only: readonly Area[], quick: boolean, log: (l: string) => void): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(AREAS) as [keyof typeof AREAS, (q: boolean) => Promise<Record<string, unknown>>][]) {
    if (!only.includes(name)) continue;
    log(`${name}: measuring`);
    try {
      out[name] = await run(quick);
    } catch (err) {
      out[name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  return out;
}
