// `loyalty-desk` commands of the sync domain.
import type { Command } from '../command';

export const syncCommands: Record<string, Command> = {};
