// `loyalty-desk` commands of the scan domain.
import type { Command } from '../command';

export const scanCommands: Record<string, Command> = {};
