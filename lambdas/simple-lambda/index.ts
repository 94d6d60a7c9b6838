/**
 * The course's first function (hands-on 4), in TypeScript: waits 2-5 s,
 * then hands out a random starter Pokemon. The wait makes concurrent
 * invocations overlap, which is what `npm run cli -- lambda invoke-many`
 * is there to show.
 */

export const POKEMON = ["Charmander", "Bulbasaur", "Squirtle"] as const;
export type Pokemon = (typeof POKEMON)[number];
export const MIN_SLEEP_MS = 2000;
export const MAX_SLEEP_MS = 5000;

export interface SimpleLambdaDeps {
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A handler with injectable randomness and sleep, for tests. */
export function makeHandler(deps: SimpleLambdaDeps = {}): () => Promise<string> {
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? realSleep;
  return async () => {
    const ms = MIN_SLEEP_MS + Math.floor(random() * (MAX_SLEEP_MS - MIN_SLEEP_MS + 1));
    await sleep(ms);
    const pick = POKEMON[Math.min(POKEMON.length - 1, Math.floor(random() * POKEMON.length))];
    return `Congratulations! You are given ${pick}`;
  };
}

export const handler = makeHandler();
