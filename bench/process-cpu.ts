/**
 * CPU-seconds of this process and of a local PostgreSQL server, from /proc (Linux).
 * On a shared machine wall time swings with the neighbours' load; CPU-seconds spent
 * by the client and by the server's processes hardly do, so benchmarks report both.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const HZ = 100; // USER_HZ: clock ticks per second in /proc/<pid>/stat on Linux

/** This process's user + system CPU-seconds. */
export function clientCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** ppid, own ticks (utime + stime) and reaped children's ticks (cutime + cstime). */
function procStat(pid: number): { ppid: number; own: number; reaped: number } | undefined {
  let s: string;
  try {
    s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the ")" that closes the command name: state ppid ... utime(12) stime(13) cutime(14) cstime(15).
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
}

/**
 * CPU-seconds used so far by the server whose data directory is `pgdata`: the
 * postmaster, the backends it has reaped, and its live children. Undefined when it
 * cannot be read (no /proc, not a local server, not running).
 */
export function serverCpuSeconds(pgdata: string): number | undefined {
  let pm: number;
  try {
    pm = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  const top = procStat(pm);
  if (!top) return undefined;
  let ticks = top.own + top.reaped;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(Number(d));
    if (st && st.ppid === pm) ticks += st.own;
  }
  return ticks / HZ;
}
