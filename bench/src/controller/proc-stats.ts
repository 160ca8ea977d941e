import { readFile } from 'node:fs/promises';

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (Linux, 100 ticks/s). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / 100;
}

/** The command name of a process (/proc/<pid>/comm), or `pid <n>` when unreadable. */
export async function processName(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return `pid ${pid}`;
  }
}

/** The 1-minute load average (/proc/loadavg). */
export async function loadAverage(): Promise<number> {
  return Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
}

/** CPU seconds of several processes between start() and the returned stop(): per process, by name. */
export async function cpuMeter(
  processes: readonly { readonly label: string; readonly pid: number }[],
): Promise<() => Promise<Record<string, number>>> {
  const read = async (): Promise<number[]> =>
    Promise.all(processes.map(async (p) => cpuSeconds(p.pid).catch(() => Number.NaN)));
  const before = await read();
  const started = performance.now();
  return async () => {
    const after = await read();
    const seconds = (performance.now() - started) / 1000;
    const out: Record<string, number> = {};
    processes.forEach((p, i) => {
      const used = (after[i] ?? Number.NaN) - (before[i] ?? Number.NaN);
      // % of one core over the interval.
      out[p.label] = Math.round((used / seconds) * 1000) / 10;
    });
    return out;
  };
}

export const percentile = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return Math.round(s[idx]!);
};

/** Runs fn over 0..n-1 with at most `concurrency` calls in flight. */
export async function inParallel(
  n: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) {
        const i = next++;
        await fn(i);
      }
    }),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
