import { Token } from "cdktf";

/** Throws unless `value` is a whole number in `min..max` (unresolved tokens pass: AWS checks them at apply). */
export function assertIntInRange(value: number, min: number, max: number, field: string): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${field} (${value}) must be a whole number in ${min}..${max}`);
  }
}
