import { Token } from "cdktf";

/** Throws unless `value` is a whole number in `min..max` (unresolved tokens pass: checked by AWS at apply). */
export function assertIntInRange(value: number, min: number, max: number, field: string): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${field} (${value}) must be a whole number in ${min}..${max}`);
  }
}

/** Throws unless `min <= desired <= max` (the group's capacity bounds). */
export function assertCapacity(minSize: number, desiredCapacity: number, maxSize: number): void {
  assertIntInRange(minSize, 0, 10000, "minSize");
  assertIntInRange(maxSize, 0, 10000, "maxSize");
  assertIntInRange(desiredCapacity, 0, 10000, "desiredCapacity");
  if (minSize > maxSize) throw new Error(`minSize (${minSize}) must be <= maxSize (${maxSize})`);
  if (desiredCapacity < minSize) throw new Error(`desiredCapacity (${desiredCapacity}) must be >= minSize (${minSize})`);
  if (desiredCapacity > maxSize) throw new Error(`desiredCapacity (${desiredCapacity}) must be <= maxSize (${maxSize})`);
}
