/**
 * Polls `probe` until it returns a value other than undefined/false, or fails with the last reason.
 * For conditions that real components reach asynchronously (a Deployment becoming Available).
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const reason = last === undefined ? '' : `: ${(last as Error).message}`;
      throw new Error(`timed out after ${options.timeoutMs ?? 60_000} ms waiting for ${what}${reason}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
}
