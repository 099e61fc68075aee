// The contract pieces the Electron side uses, in one place.
export type { DeskBridge, DeskEvent, TerminalApi, TerminalInput, TerminalMethod, TerminalOutputs } from '../src/contract/terminalApi';
