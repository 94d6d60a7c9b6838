import { makeHandler, MAX_SLEEP_MS, MIN_SLEEP_MS, POKEMON } from "../../../lambdas/simple-lambda";

/** A handler whose random() returns `values` in turn and whose sleep records the wait. */
function handlerWith(values: number[]) {
  const waits: number[] = [];
  let i = 0;
  const handler = makeHandler({
    random: () => values[i++ % values.length],
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { handler, waits };
}

describe("simple-lambda handler", () => {
  test("waits 2 s at the lowest draw and gives the first Pokemon", async () => {
    const { handler, waits } = handlerWith([0, 0]);
    await expect(handler()).resolves.toBe("Congratulations! You are given Charmander");
    expect(waits).toEqual([MIN_SLEEP_MS]);
  });

  test("waits at most 5 s at the highest draw and gives the last Pokemon", async () => {
    const { handler, waits } = handlerWith([0.999999, 0.999999]);
    await expect(handler()).resolves.toBe("Congratulations! You are given Squirtle");
    expect(waits).toEqual([MAX_SLEEP_MS]);
  });

  test("hands out each of Charmander, Bulbasaur and Squirtle", async () => {
    const given = new Set<string>();
    for (const r of [0.1, 0.4, 0.8]) given.add(await handlerWith([0.5, r]).handler());
    expect([...given].sort()).toEqual(POKEMON.map((p) => `Congratulations! You are given ${p}`).sort());
  });

  test("always sleeps within 2..5 s", async () => {
    for (const r of [0, 0.25, 0.5, 0.75, 0.9999]) {
      const { handler, waits } = handlerWith([r, 0]);
      await handler();
      expect(waits[0]).toBeGreaterThanOrEqual(2000);
      expect(waits[0]).toBeLessThanOrEqual(5000);
    }
  });
});
