// `loyalty-desk` commands of the print domain.
import type { Command } from '../command';

export const printCommands: Record<string, Command> = {};
