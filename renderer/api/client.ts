// The one way the UI reaches the core: a TerminalApi client (web host over HTTP, or Electron's
// preload bridge), both typed by the contract. Nothing here knows about SQLite, printers or Node.
import type { Result } from '../../src/contract/errors';
import type { DeskEvent, TerminalInput, TerminalMethod, TerminalOutputs } from '../../src/contract/terminalApi';

export interface DeskClient {
  call<M extends TerminalMethod>(method: M, input: TerminalInput<M>): Promise<Result<TerminalOutputs[M]>>;
  /** Events from the desk; `onLink` says whether the event stream is connected. */
  subscribe(onEvent: (event: DeskEvent) => void, onLink?: (up: boolean) => void): () => void;
}

/** The transport failed (not the core refusing): the UI says the service is unreachable. */
export class LinkError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'LinkError';
  }
}
