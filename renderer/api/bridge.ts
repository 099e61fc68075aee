// TerminalApi through Electron's preload (window.loyaltyDesk, see electron/preload.ts).
import type { DeskBridge, TerminalMethod } from '../../src/contract/terminalApi';
import { LinkError, type DeskClient } from './client';

declare global {
  interface Window {
    loyaltyDesk?: DeskBridge;
  }
}

export function bridgeClient(bridge: DeskBridge): DeskClient {
  return {
    async call(method: TerminalMethod, input: unknown) {
      const fn = bridge.api[method] as ((i: unknown) => ReturnType<DeskBridge['api'][TerminalMethod]>) | undefined;
      if (!fn) throw new LinkError(`the desk bridge has no ${method}`);
      return fn(input ?? {});
    },
    subscribe(onEvent, onLink) {
      onLink?.(true);
      return bridge.onEvent(onEvent);
    },
  } as DeskClient;
}

export function pickClient(http: () => DeskClient): DeskClient {
  return window.loyaltyDesk ? bridgeClient(window.loyaltyDesk) : http();
}
