import { Token } from "cdktf";

/** Throws unless `value` is a whole number in `min..max` (unresolved tokens pass: AWS checks them at apply). */
export function assertIntInRange(value: number, min: number, max: number, field: string): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${field} (${value}) must be a whole number in ${min}..${max}`);
  }
}

/** What the three capacity fields are called in messages (prop names, or configuration key paths). */
export interface CapacityNames {
  readonly min: string;
  readonly desired: string;
  readonly max: string;
}

/** A broken capacity bound: which of the three fields it belongs to, and what is wrong. */
export interface CapacityProblem {
  readonly field: keyof CapacityNames;
  readonly message: string;
}

/**
 * Problems with `min <= desired <= max` (Auto Scaling groups, ECS service
 * scaling, capacity providers); `desired` may be omitted. Messages name the
 * other bound with `names`, e.g. `must be <= maxSize (2)`.
 */
export function capacityProblems(
  min: number,
  desired: number | undefined,
  max: number,
  names: CapacityNames = { min: "minSize", desired: "desiredCapacity", max: "maxSize" },
): CapacityProblem[] {
  const problems: CapacityProblem[] = [];
  if (min > max) problems.push({ field: "min", message: `must be <= ${names.max} (${max})` });
  if (desired !== undefined && desired < min) problems.push({ field: "desired", message: `must be >= ${names.min} (${min})` });
  if (desired !== undefined && desired > max) problems.push({ field: "desired", message: `must be <= ${names.max} (${max})` });
  return problems;
}

/** Target tracking target values AWS accepts (Auto Scaling and Application Auto Scaling `TargetValue`). */
export const TARGET_VALUE_RANGE = { min: 8.515920e-109, max: 1.174271e108 } as const;

/** Why `value` is not a target tracking target value, or `undefined`. */
export function targetValueProblem(value: number): string | undefined {
  if (Number.isFinite(value) && value >= TARGET_VALUE_RANGE.min && value <= TARGET_VALUE_RANGE.max) return undefined;
  return `must be > 0 and <= ${TARGET_VALUE_RANGE.max} (the TargetValue range of target tracking)`;
}
