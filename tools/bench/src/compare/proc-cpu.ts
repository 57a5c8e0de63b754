// CPU time read from /proc: PostgreSQL's (the postmaster and every process it forked:
// backends, WAL writer, checkpointer, autovacuum; backends that exit meanwhile are not
// lost, once reaped their time is in the postmaster's cutime/cstime), the machine's, and
// the load generator's, so a run can say how much of the cores something else took.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Stat { ppid: number; utime: number; stime: number; cutime: number; cstime: number }

function stat(pid: number | string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after "(comm)", which may hold spaces: state is field 3, ppid 4, utime 14 ... cstime 17
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), cutime: Number(f[13]), cstime: Number(f[14]) };
  } catch {
    return null; // exited between the listing and the read
  }
}

/** The postmaster of the server a connection's backend belongs to (its parent). */
export function postmasterOf(backendPid: number): number {
  const s = stat(backendPid);
  if (!s) throw new Error(`no process ${backendPid}: is PostgreSQL on this machine?`);
  return s.ppid;
}

/** CPU milliseconds used so far by the cluster whose postmaster is `postmaster`. */
export function postgresCpuMs(postmaster: number): number {
  const main = stat(postmaster);
  if (!main) throw new Error(`postmaster ${postmaster} is gone`);
  let ticks = main.utime + main.stime + main.cutime + main.cstime;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(entry);
    if (s?.ppid === postmaster) ticks += s.utime + s.stime;
  }
  return (ticks * 1000) / CLK_TCK;
}

/** CPU milliseconds all cores have been busy since boot (/proc/stat), and those the hypervisor gave to other guests (steal). */
export function machineCpuMs(): { busy: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return { busy: ((user + nice + system + irq + softirq) * 1000) / CLK_TCK, steal: (steal * 1000) / CLK_TCK };
}

/** CPU milliseconds of this process's reaped children (the load generator, once it has exited). */
export function reapedChildrenMs(): number {
  const s = stat('self');
  return s ? ((s.cutime + s.cstime) * 1000) / CLK_TCK : 0;
}
