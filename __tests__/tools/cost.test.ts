import * as fs from "fs";
import * as path from "path";
import { synthApp, stackJson } from "../helpers/app";
import { testConfig } from "../helpers/config";
import { PRICES, renderCostMarkdown, stackCost } from "../../tools/cost-model";
import { costOutdir } from "../../tools/cost";

const TOKYO = PRICES.regions["ap-northeast-1"];
const VIRGINIA = PRICES.regions["us-east-1"];

describe("data/prices.json", () => {
  it("is dated, sourced and prices what the stacks use in both regions", () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.source).toMatch(/aws\.amazon\.com/);
    for (const p of [TOKYO, VIRGINIA]) {
      for (const t of ["t2.micro", "t3.micro", "t3.small", "m5.large", "g4dn.xlarge"]) expect(p.ec2[t]).toBeGreaterThan(0);
      expect(p.publicIpv4Hour).toBe(0.005);
      expect(p.natGatewayHour).toBeGreaterThan(0);
      expect(p.fargateVcpuHour).toBeGreaterThan(0);
    }
    expect(TOKYO.ec2["g4dn.xlarge"]).toBeGreaterThan(VIRGINIA.ec2["g4dn.xlarge"]);
  });
});

describe("cost of the synthesized stacks", () => {
  let outdir: string;
  beforeAll(() => {
    // GIVEN the whole app synthesized at default settings
    outdir = synthApp(testConfig());
  });

  it("prices first-ec2 as one t3.micro, its 8 GiB gp3 root volume and its public IP", () => {
    // GIVEN the first-ec2 stack at default settings WHEN priced in both regions
    for (const [region, p] of [["ap-northeast-1", TOKYO], ["us-east-1", VIRGINIA]] as const) {
      const cost = stackCost("first-ec2", stackJson(outdir, "first-ec2"), region);
      // THEN
      const expected = p.ec2["t3.micro"] + (8 * p.ebsGp3GbMonth) / 730 + p.publicIpv4Hour;
      expect(cost.hourly).toBeCloseTo(expected, 6);
      expect(cost.items.map((i) => i.what)).toEqual(["1 x t3.micro", "1 x 8 GiB EBS gp3", "1 x public IPv4"]);
    }
  });

  it("prices everything every stack of the app bills by the hour (no type missing from data/prices.json)", () => {
    const unpriced: string[] = [];
    for (const stack of Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks)) {
      for (const region of ["ap-northeast-1", "us-east-1"]) unpriced.push(...stackCost(stack, stackJson(outdir, stack), region).unpriced);
    }
    expect(unpriced).toEqual([]);
  });

  it("prices the state stack at zero per hour (S3 per request only)", () => {
    const cost = stackCost("state", stackJson(outdir, "state"), "ap-northeast-1");
    expect(cost.hourly).toBe(0);
    expect(cost.perRequest.join()).toMatch(/^S3:/);
  });

  it("writes one row per stack of the app in the configured region and us-east-1", () => {
    const { markdown, regions } = costOutdir(outdir);
    expect(regions).toEqual(["ap-northeast-1", "us-east-1"]);
    expect(markdown).toMatch(/\| first-ec2 \| 0\.0197 \| 0\.0163 \| 0\.47 \|/);
    expect(markdown).toContain("| state | 0 | 0 |");
  });
});

describe("stackCost on fixtures", () => {
  const lt = { instance_type: "g4dn.xlarge", block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 100, volume_type: "gp3" } }] };

  it("counts an Auto Scaling group at desired (else min) capacity and its stopped warm pool as volumes only", () => {
    // GIVEN min 1, max 5, a stopped warm pool: 4 prepared instances (max - desired)
    const tf = {
      resource: {
        aws_launch_template: { lt },
        aws_autoscaling_group: { asg: { min_size: 1, max_size: 5, launch_template: { id: "${aws_launch_template.lt.id}" }, warm_pool: { pool_state: "Stopped", min_size: 1 } } },
      },
    };
    const cost = stackCost("s", tf, "ap-northeast-1");
    const volume = (100 * TOKYO.ebsGp3GbMonth) / 730;
    expect(cost.items.map((i) => i.what)).toEqual(["1 x g4dn.xlarge", "1 x 100 GiB EBS gp3", "4 x 100 GiB EBS (stopped warm pool: volumes only)"]);
    expect(cost.hourly).toBeCloseTo(TOKYO.ec2["g4dn.xlarge"] + volume + 4 * volume, 6);
  });

  it("prices an all-Spot mixed-instances group at the first type's on-demand price, said to be an upper bound", () => {
    const tf = {
      resource: {
        aws_launch_template: { lt: { block_device_mappings: [{ ebs: { volume_size: 8 } }] } },
        aws_autoscaling_group: {
          spot: {
            min_size: 0,
            max_size: 5,
            desired_capacity: 1,
            mixed_instances_policy: {
              instances_distribution: { on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 0 },
              launch_template: { launch_template_specification: { launch_template_id: "${aws_launch_template.lt.id}" }, override: [{ instance_type: "m5.large" }, { instance_type: "c5.large" }] },
            },
          },
        },
      },
    };
    const cost = stackCost("s", tf, "us-east-1");
    expect(cost.items[0]).toMatchObject({ what: expect.stringMatching(/^1 x m5\.large \(Spot: on-demand price shown as an upper bound/), hourly: VIRGINIA.ec2["m5.large"] });
  });

  it("prices NAT gateways with their Elastic IPs, and running Fargate tasks", () => {
    const tf = {
      resource: {
        aws_nat_gateway: { nat: { allocation_id: "${aws_eip.e.id}" } },
        aws_eip: { e: { domain: "vpc" } },
        aws_ecs_task_definition: { td: { cpu: "1024", memory: "4096", requires_compatibilities: ["FARGATE"] } },
        aws_ecs_service: { svc: { launch_type: "FARGATE", desired_count: 2, task_definition: "${aws_ecs_task_definition.td.arn}" } },
      },
    };
    const cost = stackCost("s", tf, "us-east-1");
    const task = VIRGINIA.fargateVcpuHour + 4 * VIRGINIA.fargateGbHour;
    expect(cost.hourly).toBeCloseTo(VIRGINIA.natGatewayHour + VIRGINIA.publicIpv4Hour + 2 * task, 6);
  });

  it("notes a run-task-only Fargate definition instead of billing it", () => {
    const tf = { resource: { aws_ecs_task_definition: { td: { cpu: "1024", memory: "4096", requires_compatibilities: ["FARGATE"] } } } };
    const cost = stackCost("s", tf, "ap-northeast-1");
    expect(cost.hourly).toBe(0);
    expect(cost.notes.join()).toMatch(/each run task costs 0\.0727 USD per hour/);
  });

  it("reports an instance type missing from the table instead of pricing it at zero silently", () => {
    const tf = { resource: { aws_instance: { i: { instance_type: "x9.huge" } } } };
    expect(stackCost("s", tf, "ap-northeast-1").unpriced).toEqual(["s/i: instance type x9.huge"]);
  });

  it("names the region when it has no prices", () => {
    expect(() => stackCost("s", {}, "mars-north-1")).toThrow(/region \(mars-north-1\)/);
  });

  it("renders per-request services as notes", () => {
    const tf = { resource: { aws_lambda_function: { f: { runtime: "nodejs22.x" } }, aws_dynamodb_table: { t: { billing_mode: "PAY_PER_REQUEST" } } } };
    const md = renderCostMarkdown([{ stack: "s", costs: [stackCost("s", tf, "ap-northeast-1")] }], ["ap-northeast-1"]);
    expect(md).toMatch(/per request: Lambda: 0\.20 USD per 1M requests/);
    expect(md).toMatch(/per request: DynamoDB on-demand/);
  });
});
