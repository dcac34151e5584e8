/** Every command of the binary, in help order. */
import type { Command } from '../command.js';
import { dbCommand } from './db.js';
import { runCommand } from './run.js';
import { seedCommand } from './seed.js';

export const COMMANDS: readonly Command<any>[] = [seedCommand, runCommand, dbCommand];
