import { Construct } from "constructs";
import { suppress } from "../policy/suppress";
import { DataResource } from "cdktf";
import { Instance as InstanceResource } from "@cdktf/provider-aws/lib/instance";
import { SecureLaunchTemplate, SecureLaunchTemplateProps } from "./launch-template";
import { INetwork, SubnetSelection, SubnetType } from "../network/network";
import { Role } from "../iam/role";
import { regionOf } from "../core/context";

export interface InstanceProps extends Omit<SecureLaunchTemplateProps, "instanceType" | "associatePublicIp" | "subnetId"> {
  readonly network: INetwork;
  /** Instance type, e.g. `t3.micro`. */
  readonly instanceType: string;
  /** @default the first public subnet */
  readonly subnet?: SubnetSelection;
  /** @default true in a public subnet, false otherwise */
  readonly associatePublicIp?: boolean;
}

/**
 * One EC2 instance launched from a {@link SecureLaunchTemplate}. Terraform
 * replaces the instance when the template's version changes (new image or
 * user data), which is what a script that runs on first boot needs.
 */
export class Instance extends Construct {
  readonly resource: InstanceResource;
  readonly launchTemplate: SecureLaunchTemplate;

  constructor(scope: Construct, id: string, props: InstanceProps) {
    super(scope, id);
    const selection = props.subnet ?? { subnetType: SubnetType.PUBLIC };
    const subnetId = props.network.selectSubnetIds(selection)[0];
    const associatePublicIp = props.associatePublicIp ?? selection.subnetType === SubnetType.PUBLIC;

    this.launchTemplate = new SecureLaunchTemplate(this, "LaunchTemplate", { ...props, associatePublicIp, subnetId });
    if (associatePublicIp) {
      suppress(
        this.launchTemplate.resource,
        "EC2-NO-PUBLIC-IP",
        props.associatePublicIp === undefined
          ? "an instance in a public subnet without a NAT gateway (0.062 USD/h): its public IP (0.005 USD/h) is its only way out and in; ingress stays what its security groups allow"
          : "associatePublicIp was asked for explicitly",
      );
    }
    const metadata = this.launchTemplate.resource.metadataOptionsInput;
    if (!metadata) throw new Error(`${this.node.path}: the launch template sets no metadata options`);
    this.resource = new InstanceResource(this, "Resource", {
      launchTemplate: { id: this.launchTemplate.launchTemplateId, version: this.launchTemplate.latestVersion },
      // The template's IMDSv2 settings again on the instance (the same values: instance-level
      // settings win over the template's), so scanners that do not follow launch templates see them.
      metadataOptions: {
        httpEndpoint: metadata.httpEndpoint,
        httpTokens: metadata.httpTokens,
        httpPutResponseHopLimit: metadata.httpPutResponseHopLimit,
        instanceMetadataTags: metadata.instanceMetadataTags,
      },
      // No root_block_device here: the root volume (size, gp3, encryption) is set in the launch
      // template, because aws_instance with a `resolve:ssm:` image and a root_block_device block
      // fails at apply with InvalidAMIID.Malformed
      // (https://github.com/hashicorp/terraform-provider-aws/issues/43488, open in 5.100.0).
      tags: { Name: this.node.path.replace(/\//g, "-") },
    });
    if (props.spot?.requestType === "persistent") this.cancelSpotRequestOnDestroy(regionOf(this));
  }

  /**
   * A persistent Spot request outlives its instance: terminate the instance
   * and the request launches a new one. AWS provider 5.x does not cancel the
   * request on destroy (hashicorp/terraform-provider-aws#38142, fix in PR
   * #41206 not released in 5.100.0), so a `terraform_data` that depends on
   * the instance cancels it first (destroy runs dependents first). It runs
   * the AWS CLI on the machine that runs `destroy` (or replaces the instance).
   */
  private cancelSpotRequestOnDestroy(region: string | undefined): void {
    new DataResource(this, "CancelSpotRequestOnDestroy", {
      input: { request: this.resource.spotInstanceRequestId, region: region ?? "" },
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          command:
            "if [ -n '${self.input.request}' ]; then aws ec2 cancel-spot-instance-requests " +
            "--region '${self.input.region}' --spot-instance-request-ids '${self.input.request}'; fi",
        },
      ],
    });
  }

  get instanceId(): string {
    return this.resource.id;
  }

  /** Public IPv4 address (empty when the instance has none). */
  get publicIp(): string {
    return this.resource.publicIp;
  }

  /** The instance role, when `sessionManager` is on; grant it what the instance needs. */
  get role(): Role | undefined {
    return this.launchTemplate.role;
  }
}
