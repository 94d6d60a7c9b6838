import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

/** gp3 is ~20% cheaper than gp2 per GB with a 3000 IOPS baseline at any size. Cost: warning. */
export const EbsGp3: PolicyRule = {
  id: "EBS-GP3",
  description: "EBS volumes use gp3 rather than gp2 (aws_ebs_volume defaults to gp2 when volume_type is unset)",
  level: "warning",
  equivalents: { checkov: "(none; AWS Compute Optimizer / Trusted Advisor)", trivy: "(none)", cdkNag: "(none)" },
  resourceTypes: ["aws_ebs_volume", "aws_launch_template", "aws_instance"],
  check(resource) {
    const c = resource.config;
    if (resource.type === "aws_ebs_volume") return (c.type ?? "gp2") === "gp2" ? `volume type is ${c.type ?? "gp2 (default)"}; use gp3` : undefined;
    const types =
      resource.type === "aws_launch_template"
        ? asList(c.block_device_mappings).map((m: any) => asList(m.ebs)[0]?.volume_type)
        : [...asList(c.root_block_device), ...asList(c.ebs_block_device)].map((d: any) => d.volume_type);
    return types.includes("gp2") ? "a block device uses gp2; use gp3" : undefined;
  },
};
