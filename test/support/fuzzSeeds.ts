// Seeds for the fuzzers: the fixed ones stay as a regression set, each run adds a fresh one (printed, so a failure can
// be replayed), and NETLENS_FUZZ_SEED replays exactly one seed instead.
import { randomInt } from 'node:crypto';

export const FUZZ_SEED_VARIABLE = 'NETLENS_FUZZ_SEED';

export function fuzzSeeds(regressionSeeds: readonly number[]): number[] {
  const replay = process.env[FUZZ_SEED_VARIABLE];
  if (replay !== undefined && replay !== '') {
    const seed = Number(replay);
    if (!Number.isSafeInteger(seed)) throw new Error(`${FUZZ_SEED_VARIABLE}=${replay} is not an integer seed`);
    console.log(`# replaying fuzz seed ${seed} from ${FUZZ_SEED_VARIABLE}`);
    return [seed];
  }
  const fresh = randomInt(0, 2 ** 31 - 1);
  console.log(`# fuzz seed ${fresh} (replay with ${FUZZ_SEED_VARIABLE}=${fresh}); regression seeds ${regressionSeeds.length > 0 ? regressionSeeds.join(', ') : 'none'}`);
  return [...regressionSeeds, fresh];
}

/** Runs check once per seed; a failure names the seed that replays it. */
export async function forEachFuzzSeed(regressionSeeds: readonly number[], check: (seed: number) => void | Promise<void>): Promise<void> {
  for (const seed of fuzzSeeds(regressionSeeds)) {
    try {
      await check(seed);
    } catch (error) {
      throw new Error(`fuzz seed ${seed} failed; replay with ${FUZZ_SEED_VARIABLE}=${seed}`, { cause: error });
    }
  }
}
