import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { Network, SubnetType } from "../modules/network/network";
import { SecurityGroup } from "../modules/network/security-group";
import { Peer, Port } from "../modules/network/peer";
import { Cluster } from "../modules/containers/cluster";
import { Repository } from "../modules/containers/repository";
import { ContainerImage } from "../modules/containers/container-image";
import { FargateTaskDefinition } from "../modules/containers/fargate-task-definition";
import { TaskEndpoints } from "../modules/containers/task-endpoints";
import { AttributeType, COURSE_TABLE_DELETION_PROTECTION, Table } from "../modules/storage/table";
import { suppress } from "../modules/policy/suppress";
import { QA_WORKER_ENV } from "../docker/qa-bot/src/environment";

/** The course network: one zone, no NAT gateway. */
export const QA_BOT_CIDR = "10.20.0.0/23";
/** Name of the worker container (the client's container overrides name it). */
export const QA_CONTAINER_NAME = "worker";
/** Build context of the worker image, relative to the project root. */
export const QA_IMAGE_DIR = "docker/qa-bot";
/** The worker's one table call (a PutCommand in docker/qa-bot/src/worker.ts). */
export const QA_WORKER_TABLE_ACTIONS = ["dynamodb:PutItem"] as const;
/** Interface endpoints of `private-endpoints`: image pull (ECR API and Docker) and logs; S3 and DynamoDB use free gateway endpoints. */
export const QA_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs"] as const;

/**
 * `qa-bot` (hands-on 3): question answering on ECS Fargate. One task per
 * question: the client (`npm run cli -- qa ask`) starts a task with the
 * context and question as container overrides; the worker answers with
 * DistilBERT SQuAD and writes `{item_id, context, question, answer, score,
 * created_at}` to the table.
 *
 * Networking (`stacks.qaBot.networking`):
 * - `public` (default): the task runs in a public subnet with a public IP
 *   and reaches ECR, DynamoDB and CloudWatch Logs over the internet
 *   gateway; no NAT gateway (about 0.062 USD/h in Tokyo, billed even when
 *   idle), and the security group takes no inbound traffic.
 * - `private-endpoints`: an isolated subnet with no route out; interface
 *   endpoints (ECR API, ECR Docker, CloudWatch Logs; about 0.014 USD/h
 *   each, per zone) and free gateway endpoints (S3 for image layers,
 *   DynamoDB); no SSM endpoint, since nothing in the task reads SSM. No
 *   public IP anywhere, but more per-hour cost than `public`.
 */
export class QaBotStack extends CourseStack {
  readonly table: Table;
  readonly repository: Repository;
  readonly cluster: Cluster;
  readonly taskDefinition: FargateTaskDefinition;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const s = config.stacks.qaBot;
    const name = this.resourceName(id);
    const isPublic = s.networking === "public";

    const network = new Network(this, "Network", {
      cidr: QA_BOT_CIDR,
      availabilityZones: 1,
      subnets: [isPublic ? { name: "public", type: SubnetType.PUBLIC, cidrMask: 24 } : { name: "isolated", type: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      natGateways: 0,
      name,
    });
    const subnetIds = network.selectSubnetIds({ subnetType: isPublic ? SubnetType.PUBLIC : SubnetType.PRIVATE_ISOLATED });

    this.securityGroup = new SecurityGroup(this, "TaskSecurityGroup", {
      network,
      description: "QA bot tasks: no inbound, HTTPS out to AWS APIs",
      allowAllOutbound: false,
    });
    // Only HTTPS leaves the tasks: through the internet gateway (public) or to the endpoints (isolated subnet, no route out).
    this.securityGroup.allowTo(Peer.anyIpv4(), Port.tcp(443), "HTTPS to AWS APIs: ECR, DynamoDB, CloudWatch Logs");
    if (!isPublic) {
      new TaskEndpoints(this, "Endpoints", {
        network,
        subnetIds,
        routeTableIds: network.routeTableIds,
        clients: [this.securityGroup],
        region: config.region,
        interfaceServices: QA_INTERFACE_ENDPOINTS,
      });
    }

    this.table = new Table(this, "Answers", {
      partitionKey: { name: "item_id", type: AttributeType.STRING },
      billingMode: "PAY_PER_REQUEST",
      tableName: `${name}-answers`,
      deletionProtection: COURSE_TABLE_DELETION_PROTECTION,
    });
    suppress(
      this.table.resource,
      "DYNAMODB-DELETION-PROTECTION",
      "workshop table of the bot's generated answers, rebuilt by re-running the bot: destroyed with the workshop stack, which must leave nothing billable",
    );
    this.cluster = new Cluster(this, "Cluster", { clusterName: name, containerInsights: s.containerInsights });
    this.repository = new Repository(this, "Repository", { repositoryName: name, keepLastImages: s.keepImages });
    suppress(
      this.repository.resource,
      "ECR-IMMUTABLE-TAGS",
      "the course workflow re-pushes one tag (stacks.qaBot.imageTag, default latest) so new builds run without a redeploy; every push is scanned",
    );

    this.taskDefinition = new FargateTaskDefinition(this, "WorkerTask", {
      family: `${name}-worker`,
      image: ContainerImage.fromEcrRepository(this.repository, s.imageTag),
      cpu: s.cpu,
      memory: s.memory,
      containerName: QA_CONTAINER_NAME,
      user: "1000",
      environment: { [QA_WORKER_ENV.tableName]: this.table.tableName },
      logRetentionDays: s.logRetentionDays,
    });
    // Least privilege: the worker (docker/qa-bot/src/worker.ts) only puts one item per task.
    this.table.grant(this.taskDefinition, ...QA_WORKER_TABLE_ACTIONS);

    const out = (id: string, value: unknown, description?: string) => new TerraformOutput(this, id, { value, description });
    out("ClusterName", this.cluster.clusterName);
    out("TaskDefinitionFamily", this.taskDefinition.family);
    out("TaskDefinitionArn", this.taskDefinition.taskDefinitionArn);
    out("ContainerName", QA_CONTAINER_NAME);
    out("SubnetIds", subnetIds);
    out("SecurityGroupId", this.securityGroup.securityGroupId);
    out("AssignPublicIp", String(isPublic), "RunTask assignPublicIp (true: public subnet without NAT)");
    out("TableName", this.table.tableName);
    out("RepositoryUrl", this.repository.repositoryUrl);
    out("LogGroupName", this.taskDefinition.logGroup.name);
    out("ImagePushCommands", this.repository.pushCommands(config.region, QA_IMAGE_DIR, s.imageTag), "Run from the project root");
  }
}
