// The contract pieces the Electron side uses, in one place.
export { terminalApiInputs } from '../src/contract/terminalApi';
export type { DeskBridge, DeskEvent, TerminalApi, TerminalInput, TerminalMethod, TerminalOutputs } from '../src/contract/terminalApi';
export type { TerminalApiOptions as TerminalApiOptionsLike } from '../src/terminal/api';
