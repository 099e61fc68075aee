// The kiosk page's one way to the core: KioskApi over the kiosk host (POST /api/<kiosk method>, the
// session cookie rides along). Typed by src/contract/kioskApi.ts; no staff method can be named here.
import type { Result } from '../../src/contract/errors';
import type { KioskInput, KioskMethod, KioskOutputs } from '../../src/contract/kioskApi';

export interface KioskClient {
  call<M extends KioskMethod>(method: M, input: KioskInput<M>): Promise<Result<KioskOutputs[M]>>;
}
export function kioskClient(base = ''): KioskClient {
  return {
    async call(method, input) {
      try {
        const res = await fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          cache: 'no-store',
          body: JSON.stringify(input ?? {}),
        });
        const body = (await res.json().catch(() => null)) as Result<never> | null;
        if (body !== null && typeof body === 'object' && 'ok' in body) return body;
      } catch {
        // fall through: a link problem
      }
      return { ok: false, error: { code: 'INTERNAL', message: '', params: { link: 1 } } };
    },
  } as KioskClient;
}
