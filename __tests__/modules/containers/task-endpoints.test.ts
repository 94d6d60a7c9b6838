import { Construct } from "constructs";
import { Network, SubnetType } from "../../../modules/network/network";
import { SecurityGroup } from "../../../modules/network/security-group";
import { TaskEndpoints, TaskEndpointsProps } from "../../../modules/containers/task-endpoints";
import { resourcesOf, synthJson, synthScope } from "../../helpers/synth";

function build(props: Partial<TaskEndpointsProps> = {}) {
  return (s: Construct) => {
    const network = new Network(s, "Net", { subnets: [{ name: "isolated", type: SubnetType.PRIVATE_ISOLATED }] });
    const tasks = new SecurityGroup(s, "Tasks", { network, description: "tasks" });
    new TaskEndpoints(s, "Endpoints", {
      network,
      subnetIds: network.selectSubnetIds({ subnetType: SubnetType.PRIVATE_ISOLATED }),
      routeTableIds: ["rtb-1"],
      clients: [tasks],
      ...props,
    });
  };
}

describe("TaskEndpoints", () => {
  test("interface endpoints with private DNS for ECR, logs and SSM; free gateway endpoints for S3 and DynamoDB", () => {
    const json = synthJson(build());
    const eps = Object.values(resourcesOf(json, "aws_vpc_endpoint")) as any[];
    const byService = Object.fromEntries(eps.map((e) => [e.service_name, e]));
    for (const svc of ["ecr.api", "ecr.dkr", "logs", "ssm"]) {
      expect(byService[`com.amazonaws.ap-northeast-1.${svc}`]).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true });
    }
    for (const svc of ["s3", "dynamodb"]) {
      expect(byService[`com.amazonaws.ap-northeast-1.${svc}`]).toMatchObject({ vpc_endpoint_type: "Gateway", route_table_ids: ["rtb-1"] });
    }
  });

  test("the endpoints take HTTPS from the tasks' security group only", () => {
    const json = synthJson(build());
    const ingress = (Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[]).filter((r) => r.from_port === 443);
    expect(ingress).toHaveLength(1);
    expect(ingress[0].referenced_security_group_id).toMatch(/Tasks/);
    expect(ingress[0].cidr_ipv4).toBeUndefined();
  });

  test("validation", () => {
    expect(() => synthScope(build({ subnetIds: [] }))).toThrow(/subnetIds must hold/);
    expect(() => synthScope(build({ routeTableIds: [] }))).toThrow(/routeTableIds must hold/);
    expect(() => synthScope(build({ interfaceServices: ["ECR API"] }))).toThrow(/endpoint service \("ECR API"\)/);
  });
});
