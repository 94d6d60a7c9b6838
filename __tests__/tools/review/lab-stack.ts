/**
 * A small stack made of the project's modules, for the review scenarios
 * that stand for a code change (a construct renamed, a route added, a
 * resource removed, an output changed...): each scenario synthesizes it
 * twice with different props, as a base and a head commit would.
 */
import { App, TerraformOutput } from "cdktf";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { CourseStack } from "../../../stacks/course-stack";
import { Network, SubnetType } from "../../../modules/network/network";
import { SecurityGroup } from "../../../modules/network/security-group";
import { Peer, Port } from "../../../modules/network/peer";
import { AttributeType, Table } from "../../../modules/storage/table";
import { NodeFunction, tlsOnlyQueueStatement } from "../../../modules/serverless/function";
import { RestApi, RestApiRoute } from "../../../modules/api/rest-api";
import { testConfig } from "../../helpers/config";
import { tempDir } from "../../helpers/synth";

export interface LabProps {
  readonly vpcCidr?: string;
  /** Construct id of the table (a rename changes its Terraform address). */
  readonly tableId?: string;
  readonly partitionKey?: string;
  /** The table's address before a rename, declared as a move (`moveFromId`). */
  readonly tableMovedFrom?: string;
  readonly queue?: boolean;
  /** The queue's delivery delay; above 900 s terraform refuses the plan (a stack that breaks). */
  readonly queueDelaySeconds?: number;
  readonly outputDescription?: string;
  readonly outputValue?: "name" | "arn";
  /** API routes: GET /items, and POST /items when 2. */
  readonly routes?: 0 | 1 | 2;
}

export class LabStack extends CourseStack {
  readonly table: Table;

  constructor(app: App, id: string, props: LabProps = {}) {
    super(app, id, testConfig({ environment: "lab" }));
    const network = new Network(this, "Network", {
      cidr: props.vpcCidr ?? "10.30.0.0/23",
      availabilityZones: 1,
      subnets: [{ name: "public", type: SubnetType.PUBLIC, cidrMask: 24 }],
      natGateways: 0,
    });
    const sg = new SecurityGroup(this, "Web", { network, description: "lab web" });
    sg.allowFrom(Peer.ipv4("198.51.100.0/24"), Port.tcp(443), "office");

    this.table = new Table(this, props.tableId ?? "Items", {
      tableName: this.resourceName("items"),
      partitionKey: { name: props.partitionKey ?? "item_id", type: AttributeType.STRING },
    });
    if (props.tableMovedFrom) this.table.resource.moveFromId(props.tableMovedFrom);

    if (props.queue ?? true) {
      const jobs = new SqsQueue(this, "Jobs", { name: this.resourceName("jobs"), sqsManagedSseEnabled: true, delaySeconds: props.queueDelaySeconds });
      // SQS-TLS-ONLY (policy pack, issue 15): every queue refuses plain HTTP.
      new SqsQueuePolicy(this, "JobsPolicy", { queueUrl: jobs.url, policy: JSON.stringify({ Version: "2012-10-17", Statement: [tlsOnlyQueueStatement(jobs.arn)] }) });
    }

    const routes = props.routes ?? 0;
    if (routes > 0) {
      const fn = new NodeFunction(this, "Handler", { entry: "simple-lambda", functionName: this.resourceName("handler") });
      const table: RestApiRoute[] = [{ method: "GET", path: "/items", function: fn }];
      // A POST validates its body at the gateway (APIGW-REQUEST-VALIDATION).
      if (routes > 1) table.push({ method: "POST", path: "/items", function: fn, requestSchema: { type: "object" }, modelName: "Item" });
      new RestApi(this, "Api", { name: this.resourceName("api"), routes: table, manageAccountLoggingRole: false });
    }

    // An attribute the provider's schema marks sensitive, and a sensitive output: the plan file decoder's check covers both.
    const secret = new SsmParameter(this, "Secret", { name: this.resourceName("secret"), type: "String", value: "lab-secret" });
    new TerraformOutput(this, "SecretValue", { value: secret.value, sensitive: true });

    new TerraformOutput(this, "TableName", {
      value: props.outputValue === "arn" ? this.table.tableArn : this.table.tableName,
      description: props.outputDescription ?? "the table",
    });
  }
}

/** Synthesizes lab stacks (name -> props) into a fresh cdktf output folder. */
export function synthLab(stacks: Record<string, LabProps>): string {
  const outdir = tempDir("lab");
  const app = new App({ outdir, stackTraces: false });
  for (const [name, props] of Object.entries(stacks)) new LabStack(app, name, props);
  app.synth();
  return outdir;
}
