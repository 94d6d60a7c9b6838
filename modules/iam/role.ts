import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IGrantable, IPrincipal } from "./grant";
import { PolicyStatementProps, assertStatement, toDocumentStatement } from "./policy-statement";
import { awsManagedPolicyArn } from "./partition";

export interface RoleProps {
  /** Service that assumes the role, e.g. `ec2.amazonaws.com`, `lambda.amazonaws.com`. */
  readonly assumedBy: string;
  /** Shown in the IAM console. */
  readonly description?: string;
  /** AWS managed policies by name, e.g. `AmazonSSMManagedInstanceCore`. @default none */
  readonly awsManagedPolicies?: readonly string[];
  /** Conditions on the trust policy (e.g. `aws:SourceAccount`). @default none */
  readonly trustConditions?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/**
 * An IAM role for one AWS service. Statements added with {@link addToPolicy}
 * (directly or through other constructs' `grantX` methods) land in one inline
 * policy, rendered at synth by an `aws_iam_policy_document` data source (which
 * needs no AWS call, so plans stay offline).
 */
export class Role extends Construct implements IGrantable, IPrincipal {
  readonly resource: IamRole;
  readonly grantPrincipal: IPrincipal = this;
  private readonly statements: PolicyStatementProps[] = [];
  private policy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(props.assumedBy)) {
      throw new Error(`assumedBy ("${props.assumedBy}") must be a service principal like ec2.amazonaws.com`);
    }
    const trust = new DataAwsIamPolicyDocument(this, "Trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [props.assumedBy] }],
          condition: props.trustConditions?.map((c) => ({ ...c, values: [...c.values] })),
        },
      ],
    });
    this.resource = new IamRole(this, "Resource", {
      namePrefix: rolePrefix(this),
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    for (const name of props.awsManagedPolicies ?? []) this.addAwsManagedPolicy(name);
  }

  /** Attaches an AWS managed policy by name (e.g. `service-role/AmazonEC2ContainerServiceforEC2Role`). */
  addAwsManagedPolicy(name: string): void {
    new IamRolePolicyAttachment(this, `Managed${name.replace(/^.*\//, "")}`, {
      role: this.resource.name,
      policyArn: awsManagedPolicyArn(this, name),
    });
  }

  /** The inline policy, once a statement was added: for `depends_on` of resources that need it at creation. */
  get inlinePolicy(): IamRolePolicy | undefined {
    return this.policy;
  }

  get roleName(): string {
    return this.resource.name;
  }

  get roleArn(): string {
    return this.resource.arn;
  }

  /** Adds a statement to the role's inline policy. */
  addToPolicy(statement: PolicyStatementProps): void {
    assertStatement(statement, this.node.path);
    this.statements.push(statement);
    if (!this.policy) {
      const document = new DataAwsIamPolicyDocument(this, "PolicyDocument", {
        statement: Lazy.anyValue({ produce: () => this.statements.map(toDocumentStatement) }) as never,
      });
      this.policy = new IamRolePolicy(this, "Policy", { role: this.resource.id, policy: document.json });
    }
  }

  addToPrincipalPolicy(statement: PolicyStatementProps): void {
    this.addToPolicy(statement);
  }
}

/** A readable, length-safe name prefix from the construct path (IAM allows 38 chars for a prefix). */
function rolePrefix(c: Construct): string {
  const parts = c.node.scopes.slice(1).map((s) => s.node.id.replace(/[^A-Za-z0-9]/g, ""));
  return `${parts.join("-").slice(0, 37)}-`;
}
