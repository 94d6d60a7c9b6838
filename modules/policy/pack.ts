import type { PolicyRule } from "./rule";
import { Ec2Imdsv2 } from "./rules/ec2-imdsv2";
import { EbsEncrypted } from "./rules/ebs-encrypted";
import { SgNoWorldIngress } from "./rules/sg-no-world-ingress";
import { S3PublicAccessBlock } from "./rules/s3-public-access-block";
import { S3Encryption } from "./rules/s3-encryption";
import { RequiredTags } from "./rules/required-tags";

/** The project's rules. Every stack is checked against all of them at synth. */
export const COURSE_PACK: readonly PolicyRule[] = [
  Ec2Imdsv2,
  EbsEncrypted,
  SgNoWorldIngress,
  S3PublicAccessBlock,
  S3Encryption,
  RequiredTags,
];

/** The rule with this id, if the pack has one. */
export function ruleById(id: string, pack: readonly PolicyRule[] = COURSE_PACK): PolicyRule | undefined {
  return pack.find((r) => r.id === id);
}
