import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { Network } from "../modules/network/network";
import { Instance } from "../modules/compute/instance";
import { MachineImage } from "../modules/compute/machine-image";
import { UserData } from "../modules/compute/user-data";

import { COURSE_NETWORK, sshOnlySecurityGroup } from "./course-network";

/**
 * `first-ec2` (hands-on 1): one Amazon Linux 2023 instance in a public
 * subnet, reachable by SSH from `ssh.ingressCidr` only.
 */
export class FirstEc2Stack extends CourseStack {
  readonly server: Instance;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const settings = config.stacks.firstEc2;

    const network = new Network(this, "Network", { ...COURSE_NETWORK, name: this.resourceName("first-ec2") });
    const ssh = sshOnlySecurityGroup(this, network, config, {
      description: "SSH from the configured address only",
      ruleDescription: "SSH from ssh.ingressCidr",
    });

    const image = MachineImage.latestAmazonLinux2023();
    this.server = new Instance(this, "Server", {
      network,
      instanceType: settings.instanceType,
      machineImage: image,
      keyName: config.ssh.keyName,
      rootVolumeGiB: settings.rootVolumeGiB,
      securityGroups: [ssh],
      userData: UserData.fromFile("first-ec2.sh"),
      sessionManager: settings.sessionManager,
    });

    new TerraformOutput(this, "InstancePublicIp", { value: this.server.publicIp, description: "Public IPv4 address" });
    new TerraformOutput(this, "InstanceId", { value: this.server.instanceId });
    new TerraformOutput(this, "SshCommand", {
      description: "Log in (the key pair's private key in ~/.ssh)",
      value: `ssh -i ~/.ssh/${config.ssh.keyName}.pem ${image.loginUser}@${this.server.publicIp}`,
    });
    if (settings.sessionManager) {
      new TerraformOutput(this, "SessionManagerCommand", {
        description: "Log in without SSH (needs the Session Manager plugin)",
        value: `aws ssm start-session --region ${config.region} --target ${this.server.instanceId}`,
      });
    }
  }
}
