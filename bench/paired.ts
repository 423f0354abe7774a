/** One timed action of a benchmark. */
export type Act = () => Promise<unknown>;

export const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)];

/**
 * Baseline and fazt measured call by call in alternation, so whatever else the
 * shared machine is doing hits both alike (on two cores, a whole round of one
 * side could land in a quieter moment than the other's). Returns every call's ms.
 */
export async function pairedSamples(base: Act, ours: Act, n: number, warmup: number): Promise<{ b: number[]; f: number[] }> {
  for (let i = 0; i < warmup; i++) (await base(), await ours());
  const all = { b: [] as number[], f: [] as number[] };
  for (let i = 0; i < n; i++) {
    for (const [k, act] of [['b', base], ['f', ours]] as const) {
      const s = performance.now();
      await act();
      all[k].push(performance.now() - s);
    }
  }
  return all;
}
