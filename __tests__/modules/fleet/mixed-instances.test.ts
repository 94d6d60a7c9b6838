import {
  DEFAULT_SPOT_INSTANCE_TYPES,
  SpotAllocationStrategy,
  renderMixedInstancesPolicy,
  requestsSpot,
} from "../../../modules/fleet/mixed-instances";

const LT = { id: "lt-123", version: "3" };

describe("mixed instances policy", () => {
  test("defaults: 9 types, price-capacity-optimized, all Spot (on-demand base 0, 0% above)", () => {
    const policy = renderMixedInstancesPolicy({}, LT);
    expect(policy.instancesDistribution).toMatchObject({
      onDemandBaseCapacity: 0,
      onDemandPercentageAboveBaseCapacity: 0,
      spotAllocationStrategy: "price-capacity-optimized",
      spotInstancePools: undefined,
    });
    expect(policy.launchTemplate.launchTemplateSpecification).toEqual({ launchTemplateId: "lt-123", version: "3" });
    expect(policy.launchTemplate.override).toHaveLength(9);
    expect((policy.launchTemplate.override as any[]).map((o) => o.instanceType)).toEqual([...DEFAULT_SPOT_INSTANCE_TYPES]);
  });

  test("the default types are the workshop's families at large size, current generation for m4/c4/r4", () => {
    expect(DEFAULT_SPOT_INSTANCE_TYPES).toHaveLength(9);
    expect(DEFAULT_SPOT_INSTANCE_TYPES.every((t) => t.endsWith(".large"))).toBe(true);
    for (const family of ["m5", "m5a", "m5n", "m5d", "c5", "r5"]) expect(DEFAULT_SPOT_INSTANCE_TYPES).toContain(`${family}.large`);
    expect(DEFAULT_SPOT_INSTANCE_TYPES.some((t) => /^(m4|c4|r4)\./.test(t))).toBe(false);
  });

  test("lowest-price spreads over 4 pools by default (the workshop's setting)", () => {
    const policy = renderMixedInstancesPolicy({ spotAllocationStrategy: SpotAllocationStrategy.LOWEST_PRICE }, LT);
    expect(policy.instancesDistribution).toMatchObject({ spotAllocationStrategy: "lowest-price", spotInstancePools: 4 });
  });

  test("capacity-optimized and an on-demand share are accepted", () => {
    const policy = renderMixedInstancesPolicy(
      { spotAllocationStrategy: SpotAllocationStrategy.CAPACITY_OPTIMIZED, onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 25, instanceTypes: ["t3.small"] },
      LT,
    );
    expect(policy.instancesDistribution).toMatchObject({ spotAllocationStrategy: "capacity-optimized", onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 25 });
  });

  test("requestsSpot is false only when everything above the base is on-demand", () => {
    expect(requestsSpot({})).toBe(true);
    expect(requestsSpot({ onDemandPercentageAboveBaseCapacity: 100 })).toBe(false);
  });

  test.each([
    [{ instanceTypes: [] }, /mixedInstances.instanceTypes \(\[\]\) must list at least one instance type/],
    [{ instanceTypes: ["m5.large", "banana"] }, /mixedInstances.instanceTypes\[1\] \("banana"\)/],
    [{ instanceTypes: ["m5.large", "m5.large"] }, /lists "m5.large" twice/],
    [{ spotAllocationStrategy: "cheapest" as SpotAllocationStrategy }, /mixedInstances.spotAllocationStrategy \("cheapest"\)/],
    [{ spotInstancePools: 2 }, /mixedInstances.spotInstancePools \(2\) applies only to spotAllocationStrategy "lowest-price"/],
    [{ spotAllocationStrategy: SpotAllocationStrategy.LOWEST_PRICE, spotInstancePools: 21 }, /mixedInstances.spotInstancePools \(21\)/],
    [{ onDemandBaseCapacity: -1 }, /mixedInstances.onDemandBaseCapacity \(-1\)/],
    [{ onDemandPercentageAboveBaseCapacity: 101 }, /mixedInstances.onDemandPercentageAboveBaseCapacity \(101\)/],
  ])("refuses %j", (options, message) => {
    expect(() => renderMixedInstancesPolicy(options, LT)).toThrow(message);
  });
});
