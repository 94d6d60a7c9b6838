import { describeRule, res } from "../rule-cases";
import { synthJson } from "../../../helpers/synth";
import { Ec2Imdsv2 } from "../../../../modules/policy/rules/ec2-imdsv2";
import { Ec2ImdsHopLimit } from "../../../../modules/policy/rules/ec2-imds-hop-limit";
import { EbsEncrypted } from "../../../../modules/policy/rules/ebs-encrypted";
import { EbsGp3 } from "../../../../modules/policy/rules/ebs-gp3";
import { SecureLaunchTemplate } from "../../../../modules/compute/launch-template";
import { MachineImage } from "../../../../modules/compute/machine-image";

const secureTemplate = () =>
  synthJson((scope) => {
    new SecureLaunchTemplate(scope, "Lt", { machineImage: MachineImage.latestAmazonLinux2023(), instanceType: "t3.micro" });
  });

const lt = (config: Record<string, unknown>) => res("aws_launch_template", "lt", config);

describeRule(Ec2Imdsv2, {
  compliant: [
    { name: "SecureLaunchTemplate requires tokens", tf: secureTemplate },
    {
      name: "instance inherits IMDSv2 from its launch template",
      tf: res("aws_instance", "i", { launch_template: { id: "${aws_launch_template.lt.id}" } }, lt({ metadata_options: { http_tokens: "required" } })),
    },
  ],
  noncompliant: [
    { name: "launch template with optional tokens", tf: lt({ metadata_options: { http_tokens: "optional" } }), message: /"optional"/ },
    { name: "instance without metadata options or template", tf: res("aws_instance", "i", { ami: "ami-1" }), message: /unset/ },
  ],
});

describeRule(Ec2ImdsHopLimit, {
  compliant: [
    { name: "SecureLaunchTemplate keeps hop limit 1", tf: secureTemplate },
    {
      name: "instance launched from a template (checked on the template)",
      tf: res("aws_instance", "i", { launch_template: { id: "${aws_launch_template.lt.id}" } }, lt({ metadata_options: { http_put_response_hop_limit: 1 } })),
    },
  ],
  noncompliant: [
    { name: "standalone instance with hop limit unset", tf: res("aws_instance", "i", { ami: "ami-1", metadata_options: { http_tokens: "required" } }), message: /defaults to 2/ },
    { name: "hop limit 2", tf: lt({ metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } }), message: /is 2/ },
    { name: "hop limit unset", tf: lt({ metadata_options: { http_tokens: "required" } }), message: /unset/ },
  ],
});

describeRule(EbsEncrypted, {
  compliant: [
    { name: "SecureLaunchTemplate root volume", tf: secureTemplate },
    { name: "encrypted volume", tf: res("aws_ebs_volume", "v", { encrypted: true, size: 8 }) },
  ],
  noncompliant: [
    { name: "unencrypted volume", tf: res("aws_ebs_volume", "v", { size: 8 }), message: /encrypted is not true/ },
    { name: "template without block devices", tf: lt({ image_id: "ami-1" }), message: /no block_device_mappings/ },
    { name: "instance with an unencrypted root", tf: res("aws_instance", "i", { root_block_device: { encrypted: false } }), message: /root_block_device/ },
  ],
});

describeRule(EbsGp3, {
  compliant: [
    { name: "SecureLaunchTemplate uses gp3", tf: secureTemplate },
    { name: "gp3 volume", tf: res("aws_ebs_volume", "v", { type: "gp3", encrypted: true }) },
  ],
  noncompliant: [
    { name: "volume type unset (gp2 default)", tf: res("aws_ebs_volume", "v", { encrypted: true }), message: /gp2 \(default\)/ },
    { name: "template with gp2", tf: lt({ block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_type: "gp2" } }] }), message: /gp2/ },
  ],
});
