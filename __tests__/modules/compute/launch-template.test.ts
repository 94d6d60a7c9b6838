import { Construct } from "constructs";
import { SecureLaunchTemplate, SecureLaunchTemplateProps } from "../../../modules/compute/launch-template";
import { MachineImage } from "../../../modules/compute/machine-image";
import { onlyResource, synthJson, synthScope } from "../../helpers/synth";

function template(s: Construct, props: Partial<SecureLaunchTemplateProps> = {}): SecureLaunchTemplate {
  return new SecureLaunchTemplate(s, "Lt", { machineImage: MachineImage.deepLearning(), instanceType: "g4dn.xlarge", rootVolumeGiB: 100, ...props });
}

function warnings(lt: SecureLaunchTemplate): string[] {
  return lt.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
}

describe("SecureLaunchTemplate (spot and GPU images)", () => {
  test("no instance role, profile or Session Manager by default", () => {
    const json = synthJson((s) => template(s, {}));
    expect(json.resource?.aws_iam_role).toBeUndefined();
    expect(json.resource?.aws_iam_role_policy_attachment).toBeUndefined();
    expect(onlyResource(json, "aws_launch_template").iam_instance_profile).toBeUndefined();
  });

  test("instanceRole: a role and profile without any managed policy (for grants such as a lifecycle hook)", () => {
    const json = synthJson((s) => template(s, { instanceRole: true }));
    expect(Object.keys(json.resource?.aws_iam_role ?? {})).toHaveLength(1);
    expect(json.resource?.aws_iam_role_policy_attachment).toBeUndefined();
    expect(onlyResource(json, "aws_launch_template").iam_instance_profile.arn).toMatch(/aws_iam_instance_profile/);
  });

  test("persistent Spot that stops on interruption goes into the instance market options", () => {
    // GIVEN a persistent request with stop WHEN synthesized THEN the template asks for exactly that
    const lt = onlyResource(synthJson((s) => template(s, { spot: { requestType: "persistent", interruptionBehavior: "stop" } })), "aws_launch_template");
    expect(lt.instance_market_options).toEqual({ market_type: "spot", spot_options: { spot_instance_type: "persistent", instance_interruption_behavior: "stop" } });
  });

  test("refuses stop/hibernate with a one-time request (RunInstances rejects it)", () => {
    expect(() => synthScope((s) => template(s, { spot: { interruptionBehavior: "stop" } }))).toThrow(
      /spot\.interruptionBehavior \("stop"\) needs spot\.requestType "persistent" \(got "one-time"\)/,
    );
  });

  test("refuses a persistent request that terminates on interruption", () => {
    expect(() => synthScope((s) => template(s, { spot: { requestType: "persistent" } }))).toThrow(
      /spot\.interruptionBehavior \("terminate"\) needs spot\.requestType "one-time" \(got "persistent"\)/,
    );
  });

  test("a GPU image on a type without a GPU warns; on a GPU type it does not", () => {
    let cpu!: SecureLaunchTemplate;
    let gpu!: SecureLaunchTemplate;
    synthScope((s) => {
      cpu = template(s, { instanceType: "m5.large" });
      gpu = new SecureLaunchTemplate(s, "Gpu", { machineImage: MachineImage.deepLearning(), instanceType: "g4dn.xlarge", rootVolumeGiB: 100 });
    });
    expect(warnings(cpu).join()).toMatch(/instanceType \(m5\.large\) has no NVIDIA GPU/);
    expect(warnings(gpu)).toEqual([]);
  });

  test("refuses a root volume smaller than the DLAMI's root snapshot, naming the prop and the value", () => {
    expect(() => synthScope((s) => template(s, { rootVolumeGiB: 60 }))).toThrow(/rootVolumeGiB \(60\) must be a whole number from 75/);
  });
});
