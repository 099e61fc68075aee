// TerminalApi over the web host: POST /api/<method> with JSON (the session cookie rides along),
// events as server-sent events from /api/events.
import type { Result } from '../../src/contract/errors';
import type { DeskEvent, TerminalMethod } from '../../src/contract/terminalApi';
import { LinkError, type DeskClient } from './client';

const EVENT_TYPES: DeskEvent['type'][] = ['status', 'scan', 'print'];

export function httpClient(base = ''): DeskClient {
  return {
    async call(method: TerminalMethod, input: unknown) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        throw new LinkError(err instanceof Error ? err.message : String(err));
      }
      const body = (await res.json().catch(() => null)) as Result<never> | null;
      if (body === null || typeof body !== 'object' || !('ok' in body)) throw new LinkError(`HTTP ${res.status}`);
      return body;
    },
    subscribe(onEvent, onLink) {
      const source = new EventSource(`${base}/api/events`);
      const handle = (e: MessageEvent<string>) => onEvent(JSON.parse(e.data) as DeskEvent);
      for (const type of EVENT_TYPES) source.addEventListener(type, handle);
      source.onopen = () => onLink?.(true);
      source.onerror = () => onLink?.(false);
      return () => source.close();
    },
  } as DeskClient;
}
