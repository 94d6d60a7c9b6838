import { assertIntInRange, capacityProblems } from "../core/validate";

export { assertIntInRange };

/** Throws unless `min <= desired <= max` (the group's capacity bounds). */
export function assertCapacity(minSize: number, desiredCapacity: number, maxSize: number): void {
  assertIntInRange(minSize, 0, 10000, "minSize");
  assertIntInRange(maxSize, 0, 10000, "maxSize");
  assertIntInRange(desiredCapacity, 0, 10000, "desiredCapacity");
  const values = { min: minSize, desired: desiredCapacity, max: maxSize };
  const names = { min: "minSize", desired: "desiredCapacity", max: "maxSize" };
  const [problem] = capacityProblems(minSize, desiredCapacity, maxSize, names);
  if (problem) throw new Error(`${names[problem.field]} (${values[problem.field]}) ${problem.message}`);
}
