import { assertIntInRange } from "../core/validate";

export { assertIntInRange };

/** Throws unless `min <= desired <= max` (the group's capacity bounds). */
export function assertCapacity(minSize: number, desiredCapacity: number, maxSize: number): void {
  assertIntInRange(minSize, 0, 10000, "minSize");
  assertIntInRange(maxSize, 0, 10000, "maxSize");
  assertIntInRange(desiredCapacity, 0, 10000, "desiredCapacity");
  if (minSize > maxSize) throw new Error(`minSize (${minSize}) must be <= maxSize (${maxSize})`);
  if (desiredCapacity < minSize) throw new Error(`desiredCapacity (${desiredCapacity}) must be >= minSize (${minSize})`);
  if (desiredCapacity > maxSize) throw new Error(`desiredCapacity (${desiredCapacity}) must be <= maxSize (${maxSize})`);
}
