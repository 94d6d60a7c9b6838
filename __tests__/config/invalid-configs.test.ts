import * as fs from "fs";
import * as path from "path";
import { ConfigError, loadConfig } from "../../config/load";
import { configWarnings } from "../../config/warnings";
import { synthesizeApp } from "../../stacks/synthesize";
import { MAX_EXTRA_TAGS } from "../../modules/core/tags";
import { tempDir } from "../helpers/synth";

/**
 * Invalid configurations, one per row: each must fail at synth with one
 * line naming the key path the user wrote, the value, where it came from
 * (`from <file>` or `from INFRA_X`) and what is allowed; and a failed synth
 * must leave an existing output folder as it was.
 *
 * Rows give the layer that holds the mistake: `local` (infra.config.local.json),
 * `env` (INFRA_* variables) or `base` (a whole base file named by INFRA_CONFIG).
 * Messages are matched loosely (regexes), so rewording keeps the table green
 * as long as the line still names the key, the value and the source.
 */
interface Case {
  readonly name: string;
  readonly local?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly base?: Record<string, unknown>;
  /** The key path the line starts with. */
  readonly key: string;
  /** The value as the line prints it (JSON); omitted for unknown keys, whose line names the key only. */
  readonly value?: unknown;
  /** `infra.config.local.json`, `INFRA_X`, or the base file's name. */
  readonly from: string;
  /** What the line must say about the rule. */
  readonly says: RegExp;
}

const LOCAL = "infra.config.local.json";
const BASE = "other.json";
const fleet = (webFleet: Record<string, unknown>) => ({ stacks: { webFleet } });
const gpu = (gpuJupyter: Record<string, unknown>) => ({ stacks: { gpuJupyter } });
const qa = (qaBot: Record<string, unknown>) => ({ stacks: { qaBot } });
const ecs = (ecsAutoscaling: Record<string, unknown>) => ({ stacks: { ecsAutoscaling } });
const ec2 = (firstEc2: Record<string, unknown>) => ({ stacks: { firstEc2 } });
const lambda = (simpleLambda: Record<string, unknown>) => ({ stacks: { simpleLambda } });
const ARM_DLAMI = "/aws/service/deeplearning/ami/arm64/oss-nvidia-driver-gpu-pytorch-2.10-amazon-linux-2023/latest/ami-id";
const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
/** zod's bound messages, in its wording or load.ts's ("must be at least 1"). */
const atLeast = (n: number) => new RegExp(`(at least|>=)\\s*${n}|too small`, "i");
const atMost = (n: number) => new RegExp(`(at most|<=)\\s*${n}|too big`, "i");
const manyTags = Object.fromEntries(Array.from({ length: MAX_EXTRA_TAGS + 1 }, (_, i) => [`Team${i}`, "x"]));

const CASES: readonly Case[] = [
  // --- AWS refuses at apply: warm pool on the Spot group
  { name: "a warm pool on the Spot group", local: fleet({ spot: { warmPool: { minSize: 1 } } }), key: "stacks.webFleet.spot.warmPool", value: { minSize: 1 }, from: LOCAL, says: /mixed instances policy.*Spot.*PutWarmPool/ },
  { name: "a Running warm pool on the Spot group", local: fleet({ spot: { warmPool: { poolState: "Running" } } }), key: "stacks.webFleet.spot.warmPool", value: { poolState: "Running" }, from: LOCAL, says: /warm pool/ },
  { name: "a Spot warm pool from the base file", base: fleet({ spot: { warmPool: { minSize: 2 } } }), key: "stacks.webFleet.spot.warmPool", value: { minSize: 2 }, from: BASE, says: /mixed instances policy/ },
  // --- Fargate cpu/memory table
  { name: "Fargate 256/4096", local: qa({ cpu: 256, memory: 4096 }), key: "stacks.qaBot.memory", value: 4096, from: LOCAL, says: /not allowed with stacks\.qaBot\.cpu \(256\).*512, 1024, 2048/ },
  { name: "Fargate 1024/1024", local: qa({ cpu: 1024, memory: 1024 }), key: "stacks.qaBot.memory", value: 1024, from: LOCAL, says: /allowed memory for cpu 1024: 2048, 3072/ },
  { name: "Fargate cpu 3000", local: qa({ cpu: 3000, memory: 4096 }), key: "stacks.qaBot.cpu", value: 3000, from: LOCAL, says: /Fargate's sizes: 256, 512, 1024, 2048, 4096, 8192, 16384/ },
  { name: "Fargate 512/512", local: qa({ cpu: 512, memory: 512 }), key: "stacks.qaBot.memory", value: 512, from: LOCAL, says: /1024, 2048, 3072, 4096/ },
  { name: "Fargate 4096/4096 from the base file", base: qa({ cpu: 4096, memory: 4096 }), key: "stacks.qaBot.memory", value: 4096, from: BASE, says: /8192/ },
  { name: "Fargate memory as a string", local: qa({ memory: "4GB" }), key: "stacks.qaBot.memory", value: "4GB", from: LOCAL, says: /must be a number/ },
  // --- instance type architecture vs image architecture
  { name: "t4g on first-ec2's x86_64 image", local: ec2({ instanceType: "t4g.micro" }), key: "stacks.firstEc2.instanceType", value: "t4g.micro", from: LOCAL, says: /arm64 instance type.*x86_64/ },
  { name: "t4g on the fleet's base group", local: fleet({ base: { instanceType: "t4g.small" } }), key: "stacks.webFleet.base.instanceType", value: "t4g.small", from: LOCAL, says: /arm64.*Amazon Linux 2023.*x86_64/ },
  { name: "m6g as the only Spot override", local: fleet({ spot: { instanceTypes: ["m6g.large"] } }), key: "stacks.webFleet.spot.instanceTypes.0", value: "m6g.large", from: LOCAL, says: /arm64 instance type/ },
  { name: "c6g among the Spot overrides", local: fleet({ spot: { instanceTypes: ["m5.large", "c6g.large"] } }), key: "stacks.webFleet.spot.instanceTypes.1", value: "c6g.large", from: LOCAL, says: /arm64.*x86_64 type such as/ },
  { name: "t4g container instances on the x86_64 ECS image", local: ecs({ instanceType: "t4g.small" }), key: "stacks.ecsAutoscaling.instanceType", value: "t4g.small", from: LOCAL, says: /ECS-optimized Amazon Linux 2023.*x86_64/ },
  { name: "g5g (arm64) with the x86_64 DLAMI", local: gpu({ instanceType: "g5g.xlarge" }), key: "stacks.gpuJupyter.instanceType", value: "g5g.xlarge", from: LOCAL, says: /arm64 instance type.*x86_64/ },
  { name: "g4dn (x86_64) with an arm64 DLAMI (the reverse)", local: gpu({ instanceType: "g4dn.xlarge", imageParameter: ARM_DLAMI }), key: "stacks.gpuJupyter.instanceType", value: "g4dn.xlarge", from: LOCAL, says: /x86_64 instance type.*built for arm64.*Graviton/ },
  // --- certificate region
  { name: "a us-east-1 certificate for a Tokyo load balancer", local: fleet({ certificateArn: CERT("us-east-1") }), key: "stacks.webFleet.certificateArn", value: CERT("us-east-1"), from: LOCAL, says: /ACM certificate in us-east-1.*load balancer is in ap-northeast-1/ },
  { name: "a Tokyo certificate when INFRA_REGION moves the stack", local: fleet({ certificateArn: CERT("ap-northeast-1") }), env: { INFRA_REGION: "eu-west-1" }, key: "stacks.webFleet.certificateArn", value: CERT("ap-northeast-1"), from: LOCAL, says: /in ap-northeast-1.*in eu-west-1/ },
  { name: "a certificate ARN that is not ACM", local: fleet({ certificateArn: "arn:aws:s3:::bucket" }), key: "stacks.webFleet.certificateArn", value: "arn:aws:s3:::bucket", from: LOCAL, says: /not an ACM certificate ARN/ },
  { name: "a CloudFront certificate outside us-east-1", local: { stacks: { bashoutter: { customDomain: { domainName: "haiku.example.com", certificateArn: CERT("eu-west-1") } } } }, key: "stacks.bashoutter.customDomain.certificateArn", value: CERT("eu-west-1"), from: LOCAL, says: /us-east-1/ },
  // --- regions
  { name: "a region typo with a suggestion", env: { INFRA_REGION: "ap-northeast-9" }, key: "region", value: "ap-northeast-9", from: "INFRA_REGION", says: /not a known AWS region id \(did you mean ap-northeast-1\?\).*allowUnknownRegion/ },
  { name: "a swapped letter in the region", local: { region: "eu-wset-1" }, key: "region", value: "eu-wset-1", from: LOCAL, says: /did you mean eu-west-1\?/ },
  { name: "a city for a region", env: { INFRA_REGION: "tokyo" }, key: "region", value: "tokyo", from: "INFRA_REGION", says: /is not an AWS region/ },
  { name: "an upper-case region", local: { region: "US-EAST-1" }, key: "region", value: "US-EAST-1", from: LOCAL, says: /did you mean us-east-1\?/ },
  { name: "a zone for a region", local: { region: "ap-northeast-1a" }, key: "region", value: "ap-northeast-1a", from: LOCAL, says: /did you mean ap-northeast-1\?/ },
  { name: "a state region typo", env: { INFRA_STATE_REGION: "us-esat-1" }, key: "state.region", value: "us-esat-1", from: "INFRA_STATE_REGION", says: /did you mean us-east-1\?/ },
  { name: "a well-formed but unknown state region", local: { state: { region: "ap-southeast-9" } }, key: "state.region", value: "ap-southeast-9", from: LOCAL, says: /not a known AWS region id.*allowUnknownRegion/ },
  { name: "a region typo in the base file", base: { region: "us-est-1" }, key: "region", value: "us-est-1", from: BASE, says: /did you mean us-east-1\?/ },
  { name: "allowUnknownRegion as a string", local: { allowUnknownRegion: "yes" }, key: "allowUnknownRegion", value: "yes", from: LOCAL, says: /must be true or false/ },
  // --- tags
  { name: "a tag key with #", local: { tags: { "cost#center": "42" } }, key: "tags.cost#center", value: "42", from: LOCAL, says: /tag key.*letters, digits, spaces and _ \. : \/ = \+ - @/ },
  { name: "a tag key with aws:", local: { tags: { "aws:owner": "me" } }, key: "tags.aws:owner", value: "me", from: LOCAL, says: /aws:.*reserves/ },
  { name: "a tag key with AWS: in upper case", local: { tags: { "AWS:Owner": "me" } }, key: "tags.AWS:Owner", value: "me", from: LOCAL, says: /aws:/i },
  { name: "a 129-character tag key", local: { tags: { ["k".repeat(129)]: "v" } }, key: `tags.${"k".repeat(129)}`, value: "v", from: LOCAL, says: /129 characters.*1\.\.128/ },
  { name: "a 257-character tag value", local: { tags: { Team: "v".repeat(257) } }, key: "tags.Team", value: "v".repeat(257), from: LOCAL, says: /257 characters.*at most 256/ },
  { name: "a tag value with ;", local: { tags: { Team: "a;b" } }, key: "tags.Team", value: "a;b", from: LOCAL, says: /tag value AWS refuses/ },
  { name: "a tag value that is a number", local: { tags: { Team: 42 } }, key: "tags.Team", value: 42, from: LOCAL, says: /must be a string/ },
  { name: "a tag the project sets itself", local: { tags: { Project: "mine" } }, key: "tags.Project", value: "mine", from: LOCAL, says: /project sets itself.*overwritten/ },
  { name: "ManagedBy set by hand", local: { tags: { ManagedBy: "me" } }, key: "tags.ManagedBy", value: "me", from: LOCAL, says: /Project, Environment, Stack, ManagedBy/ },
  { name: "more tags than fit beside the project's own", local: { tags: manyTags }, key: "tags", value: manyTags, from: LOCAL, says: new RegExp(`holds ${MAX_EXTRA_TAGS + 1} tags; AWS allows 50 per resource.*at most ${MAX_EXTRA_TAGS} extra`) },
  // --- numbers past AWS limits
  { name: "fleet target tracking value 0", local: fleet({ targetRequestsPerInstance: 0 }), key: "stacks.webFleet.targetRequestsPerInstance", value: 0, from: LOCAL, says: atLeast(1) },
  { name: "ECS request target 0", local: ecs({ webScaling: { requestsPerTarget: 0 } }), key: "stacks.ecsAutoscaling.webScaling.requestsPerTarget", value: 0, from: LOCAL, says: /> 0|greater than 0|too small/i },
  { name: "ECS request target past TargetValue's range", local: ecs({ webScaling: { requestsPerTarget: 1e200 } }), key: "stacks.ecsAutoscaling.webScaling.requestsPerTarget", value: 1e200, from: LOCAL, says: /TargetValue range/ },
  { name: "ECS managed scaling target 0%", local: ecs({ targetCapacityPercent: 0 }), key: "stacks.ecsAutoscaling.targetCapacityPercent", value: 0, from: LOCAL, says: atLeast(1) },
  { name: "a Spot price of 0", local: gpu({ spot: true, spotMaxPrice: "0" }), key: "stacks.gpuJupyter.spotMaxPrice", value: "0", from: LOCAL, says: /above 0/ },
  { name: "a Spot price of 0.00", local: gpu({ spot: true, spotMaxPrice: "0.00" }), key: "stacks.gpuJupyter.spotMaxPrice", value: "0.00", from: LOCAL, says: /above 0/ },
  { name: "a negative Spot price", local: gpu({ spot: true, spotMaxPrice: "-1" }), key: "stacks.gpuJupyter.spotMaxPrice", value: "-1", from: LOCAL, says: /USD per hour above 0/ },
  { name: "a Spot price without Spot", local: gpu({ spotMaxPrice: "0.30" }), key: "stacks.gpuJupyter.spotMaxPrice", value: "0.30", from: LOCAL, says: /only with stacks\.gpuJupyter\.spot/ },
  { name: "GPU idle threshold 150%", local: gpu({ idleStop: { cpuThresholdPercent: 150 } }), key: "stacks.gpuJupyter.idleStop.cpuThresholdPercent", value: 150, from: LOCAL, says: /0\.\.100/ },
  { name: "GPU idle threshold -1%", local: gpu({ idleStop: { cpuThresholdPercent: -1 } }), key: "stacks.gpuJupyter.idleStop.cpuThresholdPercent", value: -1, from: LOCAL, says: /0\.\.100/ },
  { name: "idle minutes not a multiple of the period", local: gpu({ idleStop: { idleMinutes: 7 } }), key: "stacks.gpuJupyter.idleStop.idleMinutes", value: 7, from: LOCAL, says: /multiple of periodMinutes \(5\)/ },
  { name: "idle minutes above a day", local: gpu({ idleStop: { idleMinutes: 2000 } }), key: "stacks.gpuJupyter.idleStop.idleMinutes", value: 2000, from: LOCAL, says: /5\.\.1440/ },
  { name: "idle minutes under 5", local: gpu({ idleStop: { idleMinutes: 3 } }), key: "stacks.gpuJupyter.idleStop.idleMinutes", value: 3, from: LOCAL, says: /5\.\.1440/ },
  { name: "a GPU root volume under the DLAMI snapshot", local: gpu({ rootVolumeGiB: 50 }), key: "stacks.gpuJupyter.rootVolumeGiB", value: 50, from: LOCAL, says: /from 75 \(the root snapshot of Deep Learning AMI.*16384/ },
  { name: "a GPU root volume above 16 TiB", local: gpu({ rootVolumeGiB: 17000 }), key: "stacks.gpuJupyter.rootVolumeGiB", value: 17000, from: LOCAL, says: /16384 \(16 TiB/ },
  { name: "a first-ec2 root volume under the AL2023 snapshot", local: ec2({ rootVolumeGiB: 4 }), key: "stacks.firstEc2.rootVolumeGiB", value: 4, from: LOCAL, says: atLeast(8) },
  { name: "a first-ec2 root volume above 16 TiB", local: ec2({ rootVolumeGiB: 20000 }), key: "stacks.firstEc2.rootVolumeGiB", value: 20000, from: LOCAL, says: atMost(16384) },
  { name: "a fleet root volume above 16 TiB", local: fleet({ rootVolumeGiB: 16385 }), key: "stacks.webFleet.rootVolumeGiB", value: 16385, from: LOCAL, says: atMost(16384) },
  { name: "qa-bot log retention 10 days", local: qa({ logRetentionDays: 10 }), key: "stacks.qaBot.logRetentionDays", value: 10, from: LOCAL, says: /CloudWatch Logs' retention periods: 1, 3, 5, 7, 14/ },
  { name: "simple-lambda log retention 2 days", local: lambda({ logRetentionDays: 2 }), key: "stacks.simpleLambda.logRetentionDays", value: 2, from: LOCAL, says: /retention periods/ },
  { name: "bashoutter log retention 15 days", local: { stacks: { bashoutter: { logRetentionDays: 15 } } }, key: "stacks.bashoutter.logRetentionDays", value: 15, from: LOCAL, says: /retention periods/ },
  { name: "an upper-case image name", local: ecs({ images: { web: "Nginx:latest" } }), key: "stacks.ecsAutoscaling.images.web", value: "Nginx:latest", from: LOCAL, says: /upper case.*did you mean nginx:latest\?/ },
  { name: "an upper-case repository path", local: ecs({ images: { cats: "public.ecr.aws/NGINX/nginx-unprivileged" } }), key: "stacks.ecsAutoscaling.images.cats", value: "public.ecr.aws/NGINX/nginx-unprivileged", from: LOCAL, says: /did you mean public\.ecr\.aws\/nginx\/nginx-unprivileged\?/ },
  { name: "an empty image", local: ecs({ images: { dogs: "" } }), key: "stacks.ecsAutoscaling.images.dogs", value: "", from: LOCAL, says: /empty/ },
  { name: "an image with an empty tag", local: ecs({ images: { web: "nginx:" } }), key: "stacks.ecsAutoscaling.images.web", value: "nginx:", from: LOCAL, says: /malformed tag/ },
  { name: "an image with a space", local: ecs({ images: { web: "my image" } }), key: "stacks.ecsAutoscaling.images.web", value: "my image", from: LOCAL, says: /not an image reference/ },
  { name: "a PyTorch version without a DLAMI", local: gpu({ pytorchVersion: "1.0" }), key: "stacks.gpuJupyter.pytorchVersion", value: "1.0", from: LOCAL, says: /no published PyTorch DLAMI SSM parameter.*2\.10.*full parameter name/ },
  { name: "a PyTorch version from the future", local: gpu({ pytorchVersion: "9.9" }), key: "stacks.gpuJupyter.pytorchVersion", value: "9.9", from: LOCAL, says: /known versions/ },
  { name: "a PyTorch version that is not major.minor", local: gpu({ pytorchVersion: "latest" }), key: "stacks.gpuJupyter.pytorchVersion", value: "latest", from: LOCAL, says: /major\.minor/ },
  { name: "an image parameter that is not a DLAMI", local: gpu({ imageParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }), key: "stacks.gpuJupyter.imageParameter", value: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", from: LOCAL, says: /DLAMI SSM parameter/ },
  { name: "reserved concurrency below 0", local: lambda({ reservedConcurrency: -1 }), key: "stacks.simpleLambda.reservedConcurrency", value: -1, from: LOCAL, says: atLeast(0) },
  // --- min <= desired <= max, naming both keys
  { name: "base minSize above maxSize", local: fleet({ base: { minSize: 6, maxSize: 5, desiredCapacity: 5 } }), key: "stacks.webFleet.base.minSize", value: 6, from: LOCAL, says: /must be <= stacks\.webFleet\.base\.maxSize \(5\)/ },
  { name: "base desired above maxSize", local: fleet({ base: { desiredCapacity: 9 } }), key: "stacks.webFleet.base.desiredCapacity", value: 9, from: LOCAL, says: /must be <= stacks\.webFleet\.base\.maxSize \(5\)/ },
  { name: "base desired under minSize", local: fleet({ base: { minSize: 2, desiredCapacity: 1 } }), key: "stacks.webFleet.base.desiredCapacity", value: 1, from: LOCAL, says: /must be >= stacks\.webFleet\.base\.minSize \(2\)/ },
  { name: "spot minSize above maxSize", local: fleet({ spot: { minSize: 3, maxSize: 2, desiredCapacity: 2 } }), key: "stacks.webFleet.spot.minSize", value: 3, from: LOCAL, says: /must be <= stacks\.webFleet\.spot\.maxSize \(2\)/ },
  { name: "spot desired above maxSize", local: fleet({ spot: { desiredCapacity: 7 } }), key: "stacks.webFleet.spot.desiredCapacity", value: 7, from: LOCAL, says: /must be <= stacks\.webFleet\.spot\.maxSize \(5\)/ },
  { name: "warm pool minSize above its prepared capacity", local: fleet({ base: { warmPool: { minSize: 3, maxGroupPreparedCapacity: 2 } } }), key: "stacks.webFleet.base.warmPool.minSize", value: 3, from: LOCAL, says: /maxGroupPreparedCapacity \(2\)/ },
  { name: "ECS minInstances above maxInstances", local: ecs({ minInstances: 5, maxInstances: 3 }), key: "stacks.ecsAutoscaling.minInstances", value: 5, from: LOCAL, says: /must be <= stacks\.ecsAutoscaling\.maxInstances \(3\)/ },
  { name: "ECS minTasks above maxTasks", local: ecs({ webScaling: { minTasks: 9, maxTasks: 3 } }), key: "stacks.ecsAutoscaling.webScaling.minTasks", value: 9, from: LOCAL, says: /must be <= stacks\.ecsAutoscaling\.webScaling\.maxTasks \(3\)/ },
  { name: "ECS minTasks above the default maxTasks", local: ecs({ webScaling: { minTasks: 9 } }), key: "stacks.ecsAutoscaling.webScaling.minTasks", value: 9, from: LOCAL, says: /maxTasks \(8\)/ },
  { name: "a negative group size", local: fleet({ base: { maxSize: -1 } }), key: "stacks.webFleet.base.maxSize", value: -1, from: LOCAL, says: atLeast(0) },
  // --- bad CIDRs and SSH
  { name: "SSH from the whole internet", env: { INFRA_SSH_CIDR: "0.0.0.0/0" }, key: "ssh.ingressCidr", value: "0.0.0.0/0", from: "INFRA_SSH_CIDR", says: /opens SSH to the internet.*allowWorldOpen/ },
  { name: "SSH from a /8", local: { ssh: { ingressCidr: "1.0.0.0/8" } }, key: "ssh.ingressCidr", value: "1.0.0.0/8", from: LOCAL, says: /wider than \/16/ },
  { name: "a CIDR with host bits", env: { INFRA_SSH_CIDR: "10.0.0.1/16" }, key: "ssh.ingressCidr", value: "10.0.0.1/16", from: "INFRA_SSH_CIDR", says: /host bits set \(did you mean 10\.0\.0\.0\/16\?\)/ },
  { name: "an address without a prefix", env: { INFRA_SSH_CIDR: "203.0.113.10" }, key: "ssh.ingressCidr", value: "203.0.113.10", from: "INFRA_SSH_CIDR", says: /not an IPv4 CIDR/ },
  { name: "an octet above 255", local: { ssh: { ingressCidr: "300.1.1.1/32" } }, key: "ssh.ingressCidr", value: "300.1.1.1/32", from: LOCAL, says: /CIDR|octet|255/ },
  { name: "a prefix above 32", local: { ssh: { ingressCidr: "198.51.100.7/33" } }, key: "ssh.ingressCidr", value: "198.51.100.7/33", from: LOCAL, says: /CIDR|prefix|32/ },
  { name: "an IPv6 range for SSH", local: { ssh: { ingressCidr: "2001:db8::/32" } }, key: "ssh.ingressCidr", value: "2001:db8::/32", from: LOCAL, says: /IPv4/ },
  { name: "an empty key pair name", env: { INFRA_SSH_KEY_NAME: "" }, key: "ssh.keyName", value: "", from: "INFRA_SSH_KEY_NAME", says: /is empty/ },
  { name: "allowWorldOpen as a string in the file", local: { ssh: { allowWorldOpen: "true" } }, key: "ssh.allowWorldOpen", value: "true", from: LOCAL, says: /must be true or false/ },
  // --- names, state
  { name: "an environment with upper case and _", env: { INFRA_ENVIRONMENT: "Prod_1" }, key: "environment", value: "Prod_1", from: "INFRA_ENVIRONMENT", says: /1-16 lowercase/ },
  { name: "an environment name too long", local: { environment: "a-very-long-environment" }, key: "environment", value: "a-very-long-environment", from: LOCAL, says: /1-16 lowercase/ },
  { name: "a project starting with a digit", local: { project: "1course" }, key: "project", value: "1course", from: LOCAL, says: /starting with a letter/ },
  { name: "a state bucket with upper case", env: { INFRA_STATE_BUCKET: "My_Bucket" }, key: "state.bucket", value: "My_Bucket", from: "INFRA_STATE_BUCKET", says: /lowercase letters/ },
  { name: "a state bucket like an IP address", local: { state: { bucket: "192.168.1.1" } }, key: "state.bucket", value: "192.168.1.1", from: LOCAL, says: /IP-address/ },
  { name: "a state key prefix without /", env: { INFRA_STATE_KEY_PREFIX: "team" }, key: "state.keyPrefix", value: "team", from: "INFRA_STATE_KEY_PREFIX", says: /end with '\/'/ },
  { name: "noncurrent versions kept 0 days", local: { stacks: { state: { noncurrentVersionDays: 0 } } }, key: "stacks.state.noncurrentVersionDays", value: 0, from: LOCAL, says: atLeast(1) },
  // --- enums (with or without "did you mean")
  { name: "capacity-optimised (British spelling)", local: fleet({ spot: { allocationStrategy: "capacity-optimised" } }), key: "stacks.webFleet.spot.allocationStrategy", value: "capacity-optimised", from: LOCAL, says: /capacity-optimized/ },
  { name: "an unknown subnet placement", local: fleet({ instanceSubnets: "privat" }), key: "stacks.webFleet.instanceSubnets", value: "privat", from: LOCAL, says: /private/ },
  { name: "an unknown fleet setup", local: fleet({ setup: "pytorch" }), key: "stacks.webFleet.setup", value: "pytorch", from: LOCAL, says: /pytorch-cpu/ },
  { name: "an unknown DLAMI flavour", local: gpu({ imageFlavor: "pytorh" }), key: "stacks.gpuJupyter.imageFlavor", value: "pytorh", from: LOCAL, says: /pytorch/ },
  { name: "an unknown qa-bot network", local: qa({ networking: "private" }), key: "stacks.qaBot.networking", value: "private", from: LOCAL, says: /private-endpoints/ },
  { name: "an unknown Lambda architecture", local: lambda({ architecture: "arm" }), key: "stacks.simpleLambda.architecture", value: "arm", from: LOCAL, says: /arm64/ },
  { name: "an unknown billing mode", local: { stacks: { simpleDynamodb: { billingMode: "ON_DEMAND" } } }, key: "stacks.simpleDynamodb.billingMode", value: "ON_DEMAND", from: LOCAL, says: /PAY_PER_REQUEST/ },
  { name: "an unknown CloudFront price class", local: { stacks: { bashoutter: { priceClass: "PriceClass_300" } } }, key: "stacks.bashoutter.priceClass", value: "PriceClass_300", from: LOCAL, says: /PriceClass_200/ },
  { name: "an unknown warm pool state", local: fleet({ base: { warmPool: { poolState: "stopped" } } }), key: "stacks.webFleet.base.warmPool.poolState", value: "stopped", from: LOCAL, says: /Stopped/ },
  // --- out-of-range numbers and wrong types
  { name: "one zone for a load balancer", local: fleet({ availabilityZones: 1 }), key: "stacks.webFleet.availabilityZones", value: 1, from: LOCAL, says: atLeast(2) },
  { name: "a port above 65535", local: fleet({ appPort: 70000 }), key: "stacks.webFleet.appPort", value: 70000, from: LOCAL, says: atMost(65535) },
  { name: "a health check path without /", local: fleet({ healthCheck: { path: "health" } }), key: "stacks.webFleet.healthCheck.path", value: "health", from: LOCAL, says: /must start with \// },
  { name: "a deregistration delay above an hour", local: fleet({ deregistrationDelaySeconds: 4000 }), key: "stacks.webFleet.deregistrationDelaySeconds", value: 4000, from: LOCAL, says: atMost(3600) },
  { name: "an on-demand share above 100%", local: fleet({ spot: { onDemandPercentageAboveBaseCapacity: 101 } }), key: "stacks.webFleet.spot.onDemandPercentageAboveBaseCapacity", value: 101, from: LOCAL, says: atMost(100) },
  { name: "no Spot instance types", local: fleet({ spot: { instanceTypes: [] } }), key: "stacks.webFleet.spot.instanceTypes", value: [], from: LOCAL, says: /at least one instance type/ },
  { name: "a malformed Spot instance type", local: fleet({ spot: { instanceTypes: ["m5.large", "m5-large"] } }), key: "stacks.webFleet.spot.instanceTypes.1", value: "m5-large", from: LOCAL, says: /not an EC2 instance type/ },
  { name: "a malformed instance type", local: ec2({ instanceType: "t3-micro" }), key: "stacks.firstEc2.instanceType", value: "t3-micro", from: LOCAL, says: /not an EC2 instance type like t3\.micro/ },
  { name: "Spot enabled as a string", local: fleet({ spot: { enabled: "yes" } }), key: "stacks.webFleet.spot.enabled", value: "yes", from: LOCAL, says: /must be true or false/ },
  { name: "a root volume as a string", local: ec2({ rootVolumeGiB: "8" }), key: "stacks.firstEc2.rootVolumeGiB", value: "8", from: LOCAL, says: /must be a number/ },
  { name: "a fractional root volume", local: ec2({ rootVolumeGiB: 8.5 }), key: "stacks.firstEc2.rootVolumeGiB", value: 8.5, from: LOCAL, says: /integer|whole|\bint\b/i },
  { name: "Lambda memory under 128 MB", local: lambda({ memorySize: 64 }), key: "stacks.simpleLambda.memorySize", value: 64, from: LOCAL, says: atLeast(128) },
  { name: "a Lambda timeout above 900 s", local: lambda({ timeout: 901 }), key: "stacks.simpleLambda.timeout", value: 901, from: LOCAL, says: atMost(900) },
  { name: "an API function timeout above API Gateway's 29 s", local: { stacks: { bashoutter: { functionTimeout: 60 } } }, key: "stacks.bashoutter.functionTimeout", value: 60, from: LOCAL, says: atMost(29) },
  { name: "a GPU tunnel on a privileged port", local: gpu({ localPort: 80 }), key: "stacks.gpuJupyter.localPort", value: 80, from: LOCAL, says: atLeast(1024) },
  { name: "ECR keeping 0 images", local: qa({ keepImages: 0 }), key: "stacks.qaBot.keepImages", value: 0, from: LOCAL, says: atLeast(1) },
  { name: "an image tag with !", local: qa({ imageTag: "v1!" }), key: "stacks.qaBot.imageTag", value: "v1!", from: LOCAL, says: /not a valid image tag/ },
  { name: "a container port of 0", local: ecs({ containerPort: 0 }), key: "stacks.ecsAutoscaling.containerPort", value: 0, from: LOCAL, says: atLeast(1) },
  // --- cross-field
  { name: "provisioned capacity with on-demand billing", local: { stacks: { simpleDynamodb: { readCapacity: 5 } } }, key: "stacks.simpleDynamodb.readCapacity", value: 5, from: LOCAL, says: /PROVISIONED/ },
  { name: "a write throttle above the stage throttle", local: { stacks: { bashoutter: { writeThrottle: { rateLimit: 100 } } } }, key: "stacks.bashoutter.writeThrottle.rateLimit", value: 100, from: LOCAL, says: /<= throttle\.rateLimit \(50\)/ },
  // --- typos in keys
  { name: "sttae for state", local: { sttae: { bucket: "x-bucket" } }, key: "sttae", from: LOCAL, says: /did you mean state\b|configuration/ },
  { name: "regoin for region", local: { regoin: "us-east-1" }, key: "regoin", from: LOCAL, says: /did you mean region\b|configuration/ },
  { name: "firstEC2 for firstEc2", local: { stacks: { firstEC2: {} } }, key: "stacks.firstEC2", from: LOCAL, says: /did you mean stacks\.firstEc2\b|configuration/ },
  { name: "warmpool for warmPool", local: fleet({ base: { warmpool: { minSize: 1 } } }), key: "stacks.webFleet.base.warmpool", from: LOCAL, says: /did you mean stacks\.webFleet\.base\.warmPool\b|configuration/ },
  { name: "keyname for keyName", local: { ssh: { keyname: "k" } }, key: "ssh.keyname", from: LOCAL, says: /did you mean ssh\.keyName\b|configuration/ },
  { name: "a typo in the base file", base: { stacks: { qaBot: { cpus: 1024 } } }, key: "stacks.qaBot.cpus", from: BASE, says: /did you mean stacks\.qaBot\.cpu\b|configuration/ },
];

const SHIPPED = fs.readFileSync(path.resolve(__dirname, "..", "..", "infra.config.json"), "utf8");

/** A config folder: the shipped base file, plus the case's local file and base file. */
function folder(c: Case): string {
  const dir = tempDir("invalid-config");
  fs.writeFileSync(path.join(dir, "infra.config.json"), SHIPPED);
  if (c.local) fs.writeFileSync(path.join(dir, "infra.config.local.json"), JSON.stringify(c.local));
  if (c.base) fs.writeFileSync(path.join(dir, BASE), JSON.stringify(c.base));
  return dir;
}

function envOf(c: Case): Record<string, string> {
  return { ...(c.base ? { INFRA_CONFIG: BASE } : {}), ...c.env };
}

function problemsOf(c: Case, dir: string): string[] {
  try {
    loadConfig({ dir, env: envOf(c) });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error(`${c.name}: the configuration loaded; expected a ConfigError`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** `<key> (<value>, from <source>) ...<rule>...`, or `<key> is not a known setting (from <source>)...` for typos. */
function lineFor(c: Case): RegExp {
  const head =
    c.value === undefined
      ? `^${escape(c.key)} is not a known setting \\(from ${escape(c.from)}\\)`
      : `^${escape(c.key)} \\(${escape(JSON.stringify(c.value))}, from ${escape(c.from)}\\) `;
  return new RegExp(`${head}.*(?:${c.says.source})`, c.says.flags.replace("g", ""));
}

describe("invalid configurations fail at synth in the user's words", () => {
  test("the table holds at least 80 configurations, each named once", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const dir = folder(c);
    const problems = problemsOf(c, dir);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(lineFor(c))]));
    // The line tells how to fix it, and no stack trace leaks into it.
    const line = problems.find((p) => lineFor(c).test(p))!;
    expect(line).not.toMatch(/\n\s+at /);
    if (c.value !== undefined) expect(line).toMatch(new RegExp(`Set ${escape(c.key)} in infra\\.config\\.local\\.json`));

    // A failed synth leaves an existing output folder as it was.
    const outdir = path.join(dir, "cdktf.out");
    fs.mkdirSync(path.join(outdir, "stacks", "web-fleet"), { recursive: true });
    fs.writeFileSync(path.join(outdir, "stacks", "web-fleet", "cdk.tf.json"), '{"previous":true}');
    const printed: string[] = [];
    const result = synthesizeApp({ dir, env: envOf(c), outdir, print: (l) => printed.push(l) });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([expect.stringMatching(lineFor(c))]));
    expect(fs.readdirSync(dir).filter((n) => n.startsWith("cdktf.out"))).toEqual(["cdktf.out"]);
    expect(fs.readdirSync(outdir)).toEqual(["stacks"]);
    expect(fs.readFileSync(path.join(outdir, "stacks", "web-fleet", "cdk.tf.json"), "utf8")).toBe('{"previous":true}');
    expect(printed.join("\n")).not.toMatch(/\n\s+at /);
  });
});

describe("escape hatches and warnings", () => {
  test("allowUnknownRegion accepts a well-formed region newer than the list, not a malformed one", () => {
    const dir = folder({ name: "", key: "", from: "", says: /./, local: { allowUnknownRegion: true, region: "ap-southeast-9", state: { region: "eu-central-3" } } });
    const config = loadConfig({ dir, env: {} });
    expect(config.region).toBe("ap-southeast-9");
    expect(config.state.region).toBe("eu-central-3");
    expect(() => loadConfig({ dir, env: { INFRA_REGION: "tokyo" } })).toThrow(/region \("tokyo", from INFRA_REGION\) is not an AWS region id/);
  });

  test("a DLAMI newer than the known versions is reachable through its full parameter name", () => {
    const parameter = "/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-9.9-amazon-linux-2023/latest/ami-id";
    const dir = folder({ name: "", key: "", from: "", says: /./, local: gpu({ imageParameter: parameter }) });
    expect(loadConfig({ dir, env: {} }).stacks.gpuJupyter.imageParameter).toBe(parameter);
  });

  test("reserved concurrency above the default quota is a warning naming the key and the quota, not an error", () => {
    const at = (reservedConcurrency: number) => loadConfig({ dir: folder({ name: "", key: "", from: "", says: /./, local: lambda({ reservedConcurrency }) }), env: {} });
    expect(configWarnings(at(900))).toEqual([]);
    expect(configWarnings(at(950))).toEqual([
      expect.stringMatching(/^stacks\.simpleLambda\.reservedConcurrency \(950\) .*900 .*Concurrent executions.*1000.*L-B99A9384/),
    ]);
    expect(configWarnings(loadConfig({ dir: folder({ name: "", key: "", from: "", says: /./ }), env: {} }))).toEqual([]);
  });

  test("several mistakes in one run are listed together", () => {
    const dir = folder({ name: "", key: "", from: "", says: /./, local: { region: "eu-wset-1", stacks: { qaBot: { cpu: 256, memory: 4096 }, firstEc2: { instanceType: "t4g.micro" } } } });
    const problems = problemsOf({ name: "several", key: "", from: "", says: /./ }, dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^region \("eu-wset-1"/),
        expect.stringMatching(/^stacks\.qaBot\.memory \(4096/),
        expect.stringMatching(/^stacks\.firstEc2\.instanceType \("t4g\.micro"/),
      ]),
    );
  });
});
