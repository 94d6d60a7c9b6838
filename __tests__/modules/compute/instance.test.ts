import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Instance as InstanceResource } from "@cdktf/provider-aws/lib/instance";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { Network, SubnetType } from "../../../modules/network/network";
import { SecurityGroup } from "../../../modules/network/security-group";
import { Instance, InstanceProps } from "../../../modules/compute/instance";
import { MachineImage } from "../../../modules/compute/machine-image";
import { UserData } from "../../../modules/compute/user-data";
import { onlyResource, resourcesOf, synthJson, synthScope } from "../../helpers/synth";

function server(s: Construct, props: Partial<InstanceProps> = {}): Instance {
  const network = new Network(s, "Net");
  const sg = new SecurityGroup(s, "Sg", { network, description: "d" });
  return new Instance(s, "Server", {
    network,
    instanceType: "t3.micro",
    machineImage: MachineImage.latestAmazonLinux2023(),
    securityGroups: [sg],
    ...props,
  });
}

describe("Instance", () => {
  test("launches from a template whose image resolves from SSM at launch (no data source)", () => {
    const json = synthJson((s) => server(s));
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(json.data?.aws_ami).toBeUndefined();
    expect(json.data?.aws_ssm_parameter).toBeUndefined();
    const instance = onlyResource(json, "aws_instance");
    expect(instance.ami).toBeUndefined();
    expect(instance.launch_template.id).toMatch(/aws_launch_template\..*\.id/);
    expect(instance.launch_template.version).toMatch(/latest_version/);
  });

  test("requires IMDSv2 with hop limit 1", () => {
    expect(synthScope((s) => server(s))).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: expect.objectContaining({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" }),
    });
  });

  test("the instance states the same metadata options itself, for scanners that do not follow launch templates", () => {
    const json = synthJson((s) => server(s, { metadataHopLimit: 2 }));
    const lt = onlyResource(json, "aws_launch_template");
    const instance = onlyResource(json, "aws_instance");
    expect(instance.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 2, instance_metadata_tags: "disabled" });
    expect(instance.metadata_options).toEqual(lt.metadata_options);
  });

  test("no root_block_device on the instance: the image is resolve:ssm: (provider bug #43488, InvalidAMIID.Malformed)", () => {
    const instance = onlyResource(synthJson((s) => server(s, { rootVolumeGiB: 20 })), "aws_instance");
    expect(instance.root_block_device).toBeUndefined();
    expect(instance.ebs_block_device).toBeUndefined();
  });

  test("root volume is encrypted gp3 of the requested size, deleted with the instance", () => {
    const lt = onlyResource(synthJson((s) => server(s, { rootVolumeGiB: 20 })), "aws_launch_template");
    expect(lt.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", volume_size: 20, delete_on_termination: "true" } },
    ]);
  });

  test("a public subnet gets a public IP on the template's interface, with the subnet and groups there too", () => {
    const json = synthJson((s) => server(s));
    const ni = onlyResource(json, "aws_launch_template").network_interfaces[0];
    expect(ni.associate_public_ip_address).toBe("true");
    expect(ni.subnet_id).toMatch(/aws_subnet/);
    expect(ni.security_groups[0]).toMatch(/aws_security_group/);
    // AWS refuses an instance-level subnet when the template has an interface
    expect(onlyResource(json, "aws_instance").subnet_id).toBeUndefined();
    expect(onlyResource(json, "aws_launch_template").vpc_security_group_ids).toBeUndefined();
  });

  test("key pair by name, user data from userdata/ as base64", () => {
    const json = synthJson((s) => server(s, { keyName: "course-key", userData: UserData.fromFile("first-ec2.sh", { GREETING: "it's me" }) }));
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.key_name).toBe("course-key");
    const script = Buffer.from(lt.user_data, "base64").toString("utf8");
    expect(script.split("\n")[0]).toBe("#!/bin/bash");
    expect(script).toContain(`export GREETING='it'"'"'s me'`);
    expect(script).toContain("set -euo pipefail");
  });

  test("sessionManager attaches an instance profile with AmazonSSMManagedInstanceCore only", () => {
    const out = synthScope((s) => server(s, { sessionManager: true }));
    expect(out).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:${data.aws_partition.AwsPartition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    const json = JSON.parse(out);
    expect(onlyResource(json, "aws_launch_template").iam_instance_profile.arn).toMatch(/aws_iam_instance_profile/);
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
    const none = synthJson((s) => server(s));
    expect(resourcesOf(none, "aws_iam_instance_profile")).toEqual({});
  });

  test("leaves EBS optimization to the type (t2.micro refuses ebs_optimized = true)", () => {
    const lt = onlyResource(synthJson((s) => server(s, { instanceType: "t2.micro" })), "aws_launch_template");
    expect(lt.ebs_optimized).toBeUndefined();
  });

  test("a persistent Spot request is cancelled before the instance is destroyed (provider bug #38142)", () => {
    const json = synthJson((s) => server(s, { spot: { requestType: "persistent", interruptionBehavior: "stop" } }));
    const cleanup = onlyResource(json, "terraform_data");
    expect(cleanup.input).toEqual({ request: expect.stringMatching(/^\$\{aws_instance\..*\.spot_instance_request_id\}$/), region: "ap-northeast-1" });
    expect(cleanup.provisioner[0]["local-exec"]).toMatchObject({ when: "destroy", command: expect.stringContaining("aws ec2 cancel-spot-instance-requests") });
    expect(resourcesOf(synthJson((s) => server(s)), "terraform_data")).toEqual({});
  });

  test("a private subnet gets no public IP", () => {
    const json = synthJson((s) => {
      const network = new Network(s, "Net", { subnets: [{ name: "iso", type: SubnetType.PRIVATE_ISOLATED }] });
      new Instance(s, "Server", { network, instanceType: "t3.micro", machineImage: MachineImage.latestAmazonLinux2023(), subnet: { subnetType: SubnetType.PRIVATE_ISOLATED } });
    });
    expect(onlyResource(json, "aws_launch_template").network_interfaces[0].associate_public_ip_address).toBe("false");
  });

  describe("validation", () => {
    test.each([
      [{ instanceType: "t3micro" }, /instanceType \("t3micro"\) is not an EC2 instance type/],
      [{ instanceType: "" }, /instanceType \(""\)/],
      [{ keyName: " " }, /keyName must not be empty/],
      [{ rootVolumeGiB: 4 }, /rootVolumeGiB \(4\) must be a whole number from 8 \(the root snapshot of Amazon Linux 2023/],
      [{ rootVolumeGiB: 8.5 }, /rootVolumeGiB \(8.5\)/],
      [{ metadataHopLimit: 0 }, /metadataHopLimit \(0\)/],
    ])("%j fails", (props, message) => {
      expect(() => synthJson((s) => server(s, props as Partial<InstanceProps>))).toThrow(message);
    });
    test("user data must come from userdata/ and start with #!", () => {
      expect(() => UserData.fromFile("../package.json")).toThrow(/must be inside userdata\//);
      expect(() => UserData.fromFile("nope.sh")).toThrow(/not found in userdata\//);
      expect(() => UserData.fromScript("echo hi")).toThrow(/must start with a #! line/);
      expect(() => UserData.fromScript("#!/bin/sh\n", { "bad-name": "x" })).toThrow(/UPPER_SNAKE_CASE/);
    });
    test("machine image parameters must be SSM paths", () => {
      expect(() => MachineImage.fromSsmParameter("ami-0123456789abcdef0")).toThrow(/must be an SSM parameter path/);
    });
  });
});

describe("UserData with values known only at apply", () => {
  test("is encoded by Terraform with the script's own ${...} escaped", () => {
    const json = synthJson((s) => {
      const network = new Network(s, "Net");
      new Instance(s, "Server", {
        network,
        instanceType: "t3.micro",
        machineImage: MachineImage.latestAmazonLinux2023(),
        userData: UserData.fromScript('#!/bin/bash\necho "${HOME}"\n', { VPC_ID: network.vpcId }),
      });
    });
    const userData: string = onlyResource(json, "aws_launch_template").user_data;
    expect(userData.startsWith("${base64encode(join(")).toBe(true);
    expect(userData).toContain("aws_vpc.Net_Vpc");
    const literal = [...userData.matchAll(/base64decode\("([^"]+)"\)/g)].map((m) => Buffer.from(m[1], "base64").toString("utf8")).join("");
    expect(literal).toContain(`echo "${"$"}{HOME}"`);
  });
});

void InstanceResource;
