// The manager's day-end for the desk hosts: "sync now" goes through the host's sync loop (so the
// loop and the day-end never sync at once, and HQ online/offline follows the outcome), and the
// Z-report prints on the printer the desk prints receipts on.
import type { SyncLoop } from '../syncClient/syncLoop';
import type { ManagerPorts } from '../terminal/session/managerHandlers';
import type { PrintLoop } from './printLoop';

export function managerPorts(sync: SyncLoop | null, printerUri: () => string | null, printing?: Pick<PrintLoop, 'withPrinter'>): ManagerPorts {
  return {
    sync: sync ? (onProgress) => sync.syncNow(onProgress) : null,
    printerUri,
    ...(printing ? { withPrinter: <T>(task: () => Promise<T>) => printing.withPrinter(task) } : {}),
  };
}
