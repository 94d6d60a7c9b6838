import type { PolicyStatementProps } from "./policy-statement";

/** Something that can be given permissions: a role, or a construct that owns one. */
export interface IGrantable {
  readonly grantPrincipal: IPrincipal;
}

/** An identity whose policy can take statements. */
export interface IPrincipal {
  /** Adds a statement to the principal's own (identity-based) policy. */
  addToPrincipalPolicy(statement: PolicyStatementProps): void;
}

export interface GrantOptions {
  readonly grantee: IGrantable;
  readonly actions: readonly string[];
  readonly resourceArns: readonly string[];
  /** Statement id, so a reader of the policy sees why it is there. */
  readonly sid?: string;
}

/** Grants are identity-based statements added to the grantee's policy. */
export const Grant = {
  addToPrincipal(options: GrantOptions): void {
    options.grantee.grantPrincipal.addToPrincipalPolicy({
      sid: options.sid,
      actions: options.actions,
      resources: options.resourceArns,
    });
  },
};
