import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Role } from "../../../modules/iam/role";
import { Grant } from "../../../modules/iam/grant";
import { resourcesOf, synthJson, synthScope } from "../../helpers/synth";

describe("Role", () => {
  test("trusts exactly one service, through a policy document (no AWS call at plan)", () => {
    const json = synthJson((s) => new Role(s, "Role", { assumedBy: "lambda.amazonaws.com" }));
    const trust = Object.values(json.data!.aws_iam_policy_document)[0] as any;
    expect(trust.statement).toEqual([
      { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] },
    ]);
    expect(synthScope((s) => new Role(s, "Role", { assumedBy: "lambda.amazonaws.com" }))).toHaveResourceWithProperties(IamRole, {
      name_prefix: "stack-Role-", // stack id first: roles of different stacks never collide
    });
  });

  test("no inline policy until something is granted", () => {
    const json = synthJson((s) => new Role(s, "Role", { assumedBy: "ec2.amazonaws.com" }));
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
  });

  test("grants from several constructs land in one inline policy", () => {
    const json = synthJson((s) => {
      const role = new Role(s, "Role", { assumedBy: "ec2.amazonaws.com" });
      Grant.addToPrincipal({ grantee: role, actions: ["s3:GetObject"], resourceArns: ["arn:aws:s3:::b/*"], sid: "Read" });
      role.addToPolicy({ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:ap-northeast-1:111111111111:q"] });
    });
    expect(Object.keys(resourcesOf(json, "aws_iam_role_policy"))).toHaveLength(1);
    const doc = Object.entries(json.data!.aws_iam_policy_document).find(([k]) => k.includes("PolicyDocument"))![1] as any;
    expect(doc.statement).toEqual([
      { sid: "Read", effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] },
      { effect: "Allow", actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:ap-northeast-1:111111111111:q"] },
    ]);
  });

  test("AWS managed policies are attached by partition-aware ARN", () => {
    const json = synthJson((s) => new Role(s, "Role", { assumedBy: "ec2.amazonaws.com", awsManagedPolicies: ["AmazonSSMManagedInstanceCore"] }));
    const attachment = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"))[0] as any;
    expect(attachment.policy_arn).toBe("arn:${data.aws_partition.AwsPartition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore");
  });

  describe("validation", () => {
    test.each([
      [{ actions: ["dynamodb:*"], resources: ["arn:x"] }, /action "dynamodb:\*" grants a whole service/],
      [{ actions: ["*"], resources: ["arn:x"] }, /action "\*"/],
      [{ actions: [], resources: ["arn:x"] }, /at least one action/],
      [{ actions: ["s3:GetObject"], resources: [] }, /at least one resource/],
    ])("statement %j is refused", (statement, message) => {
      expect(() => synthJson((s) => new Role(s, "Role", { assumedBy: "ec2.amazonaws.com" }).addToPolicy(statement))).toThrow(message);
    });
    test("assumedBy must be a service principal", () => {
      expect(() => synthJson((s) => new Role(s, "Role", { assumedBy: "arn:aws:iam::1:root" }))).toThrow(/assumedBy \("arn:aws:iam::1:root"\)/);
    });
  });
});
