import type { PolicyRule } from "../rule";

const isTrue = (v: unknown) => v === true || v === "true";

/** Every EBS volume is encrypted at rest. */
export const EbsEncrypted: PolicyRule = {
  id: "EBS-ENCRYPTED",
  description: "EBS volumes, launch template block devices and instance root volumes are encrypted",
  level: "error",
  equivalents: { checkov: "CKV_AWS_8", trivy: "AVD-AWS-0026 / AVD-AWS-0131", cdkNag: "AwsSolutions-EC26" },
  resourceTypes: ["aws_launch_template", "aws_instance", "aws_ebs_volume"],
  check(resource, stack) {
    const c = resource.config;
    switch (resource.type) {
      case "aws_ebs_volume":
        return isTrue(c.encrypted) ? undefined : "encrypted is not true";
      case "aws_launch_template": {
        const bad = (c.block_device_mappings ?? []).filter((m: any) => m.ebs && !isTrue(m.ebs.encrypted));
        if (bad.length) return `block device ${bad.map((m: any) => m.device_name).join(", ")} is not encrypted`;
        if (!(c.block_device_mappings ?? []).some((m: any) => m.ebs)) {
          return "no block_device_mappings: the root volume takes the image's unencrypted default; add an encrypted mapping";
        }
        return undefined;
      }
      default: {
        if (c.root_block_device && !isTrue(c.root_block_device.encrypted)) return "root_block_device.encrypted is not true";
        if ((c.ebs_block_device ?? []).some((d: any) => !isTrue(d.encrypted))) return "an ebs_block_device is not encrypted";
        if (!c.root_block_device) {
          const lt = stack.resolveReference(c.launch_template?.id);
          if (!lt) return "root volume encryption is not set (no root_block_device and no launch template)";
        }
        return undefined;
      }
    }
  },
};
