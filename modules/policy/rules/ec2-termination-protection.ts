import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/** A single instance survives an accidental terminate. Info: course instances are meant to be destroyed. */
export const Ec2TerminationProtection: PolicyRule = {
  id: "EC2-TERMINATION-PROTECTION",
  description: "Standalone instances set disable_api_termination (instances of Auto Scaling groups are replaceable)",
  level: "info",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "NIST.800.53.R5-EC2InstanceTerminationProtection" },
  moduleDefault: "off: course instances are destroyed after each lab (terraform destroy would fail)",
  resourceTypes: ["aws_instance"],
  check(r, stack) {
    if (isTrue(r.config.disable_api_termination)) return undefined;
    const lt = stack.resolveReference(asList(r.config.launch_template)[0]?.id);
    if (lt && isTrue(lt.config.disable_api_termination)) return undefined;
    return "can be terminated by one API call (disable_api_termination unset)";
  },
};
