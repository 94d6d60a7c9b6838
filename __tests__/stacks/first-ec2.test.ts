import { FirstEc2Stack } from "../../stacks/first-ec2";
import { onlyResource, resourcesOf, synthStack } from "../helpers/synth";
import { testConfig } from "../helpers/config";

describe("first-ec2 stack", () => {
  const { json } = synthStack((app) => new FirstEc2Stack(app, "first-ec2", testConfig()));

  test("keeps state in the S3 bucket: encrypted, S3-native locking, <env>/<stack> key", () => {
    expect(json.terraform?.backend).toEqual({
      s3: { bucket: "aws-course-tfstate-test", key: "test/first-ec2.tfstate", region: "ap-northeast-1", encrypt: true, use_lockfile: true },
    });
  });

  test("the course network: 10.10.0.0/23, one public /24, no NAT gateway", () => {
    expect(onlyResource(json, "aws_vpc").cidr_block).toBe("10.10.0.0/23");
    expect(onlyResource(json, "aws_subnet").cidr_block).toBe("10.10.0.0/24");
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
  });

  test("only SSH comes in, and only from ssh.ingressCidr", () => {
    const rule = onlyResource(json, "aws_vpc_security_group_ingress_rule");
    expect(rule).toMatchObject({ cidr_ipv4: "198.51.100.7/32", from_port: 22, to_port: 22, ip_protocol: "tcp" });
  });

  test("t3.micro on Amazon Linux 2023 with the configured key pair", () => {
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt).toMatchObject({ instance_type: "t3.micro", key_name: "test-key" });
    expect(lt.image_id).toContain("al2023-ami-kernel-default-x86_64");
  });

  test("t2.micro is selectable", () => {
    const { json: j } = synthStack((app) => new FirstEc2Stack(app, "first-ec2", testConfig({ stacks: { firstEc2: { instanceType: "t2.micro" } } })));
    expect(onlyResource(j, "aws_launch_template").instance_type).toBe("t2.micro");
  });

  test("outputs the public IP and a ready ssh command", () => {
    expect(json.output?.InstancePublicIp.value).toMatch(/^\$\{aws_instance\..*\.public_ip\}$/);
    expect(json.output?.SshCommand.value).toMatch(/^ssh -i ~\/\.ssh\/test-key\.pem ec2-user@\$\{aws_instance\..*\.public_ip\}$/);
  });

  test("no instance role by default (the course logs in with SSH); Session Manager only when asked for", () => {
    expect(resourcesOf(json, "aws_iam_role")).toEqual({});
    expect(onlyResource(json, "aws_launch_template").iam_instance_profile).toBeUndefined();
    expect(json.output?.SessionManagerCommand).toBeUndefined();
    const { json: j } = synthStack((app) => new FirstEc2Stack(app, "first-ec2", testConfig({ stacks: { firstEc2: { sessionManager: true } } })));
    expect(onlyResource(j, "aws_iam_role_policy_attachment").policy_arn).toMatch(/AmazonSSMManagedInstanceCore$/);
    expect(j.output?.SessionManagerCommand.value).toMatch(/^aws ssm start-session --region ap-northeast-1 --target /);
  });

  test("tags everything with project, environment and stack through the provider", () => {
    expect(json.provider?.aws[0].default_tags[0].tags).toEqual({ Project: "aws-course", Environment: "test", Stack: "first-ec2", ManagedBy: "cdktf" });
  });

  test("world-open SSH with the opt-in synthesizes (and the user asked for it)", () => {
    const config = testConfig({ ssh: { ingressCidr: "0.0.0.0/0", allowWorldOpen: true } });
    const { json: j } = synthStack((app) => new FirstEc2Stack(app, "first-ec2", config));
    expect(onlyResource(j, "aws_vpc_security_group_ingress_rule").cidr_ipv4).toBe("0.0.0.0/0");
  });
});
