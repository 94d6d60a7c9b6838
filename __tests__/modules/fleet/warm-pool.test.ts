import { PoolState, WARM_POOL_RESTRICTION, renderWarmPool } from "../../../modules/fleet/warm-pool";

describe("warm pool block", () => {
  test("defaults to the blog's pool: min 1, Stopped, instances reused on scale-in", () => {
    expect(renderWarmPool({})).toEqual({
      minSize: 1,
      maxGroupPreparedCapacity: undefined,
      poolState: "Stopped",
      instanceReusePolicy: { reuseOnScaleIn: true },
    });
  });

  test("takes min size, max prepared capacity, state and reuse from options", () => {
    expect(renderWarmPool({ minSize: 2, maxGroupPreparedCapacity: 4, poolState: PoolState.HIBERNATED, reuseOnScaleIn: false })).toEqual({
      minSize: 2,
      maxGroupPreparedCapacity: 4,
      poolState: "Hibernated",
      instanceReusePolicy: { reuseOnScaleIn: false },
    });
  });

  test("refuses minSize above maxGroupPreparedCapacity", () => {
    expect(() => renderWarmPool({ minSize: 3, maxGroupPreparedCapacity: 2 })).toThrow(
      /warmPool.minSize \(3\) must be <= warmPool.maxGroupPreparedCapacity \(2\)/,
    );
  });

  test.each([
    [{ minSize: -1 }, /warmPool.minSize \(-1\)/],
    [{ minSize: 1.5 }, /warmPool.minSize \(1.5\)/],
    [{ maxGroupPreparedCapacity: -2 }, /warmPool.maxGroupPreparedCapacity \(-2\)/],
    [{ poolState: "Frozen" as PoolState }, /warmPool.poolState \("Frozen"\)/],
  ])("refuses %j", (options, message) => {
    expect(() => renderWarmPool(options)).toThrow(message);
  });

  test("the restriction message cites the PutWarmPool API reference", () => {
    expect(WARM_POOL_RESTRICTION).toMatch(/mixed instances policy/);
    expect(WARM_POOL_RESTRICTION).toMatch(/Spot/);
    expect(WARM_POOL_RESTRICTION).toContain("API_PutWarmPool.html");
  });
});
