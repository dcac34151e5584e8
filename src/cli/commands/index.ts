/** Every command of the binary, in help order. Implementations load their heavy modules on use. */
import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { capacityCommand } from './capacity.js';
import { compareCommand } from './compare.js';
import { dbCommand } from './db.js';
import { gateCommand } from './gate.js';
import { isolateCommand } from './isolate.js';
import { mergeCommand } from './merge.js';
import { migrateCommand } from './migrate.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { scaleCommand } from './scale.js';
import { seedCommand } from './seed.js';
import { serveCommand } from './serve.js';
import { httpCommand } from './http.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: readonly Command<any>[] = [benchCommand, seedCommand, migrateCommand, verifyCommand, runCommand, compareCommand, capacityCommand, isolateCommand, scaleCommand, gateCommand, mergeCommand, reportCommand, dbCommand, serveCommand, httpCommand];
