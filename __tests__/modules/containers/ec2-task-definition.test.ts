import { Construct } from "constructs";
import { Ec2TaskDefinition, Ec2TaskDefinitionProps } from "../../../modules/containers/ec2-task-definition";
import { ContainerImage } from "../../../modules/containers/container-image";
import { onlyResource, synthJson, synthScope } from "../../helpers/synth";

const image = ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx-unprivileged:stable-alpine");
const build = (props: Partial<Ec2TaskDefinitionProps> = {}) => (s: Construct) =>
  new Ec2TaskDefinition(s, "Task", { image, containerPort: 8080, user: "101", ...props });

describe("Ec2TaskDefinition", () => {
  test("uses bridge mode with a dynamic host port and container-level limits", () => {
    const td = onlyResource(synthJson(build()), "aws_ecs_task_definition");
    expect(td).toMatchObject({ network_mode: "bridge", requires_compatibilities: ["EC2"] });
    expect(td.cpu).toBeUndefined();
    const c = JSON.parse(td.container_definitions)[0];
    expect(c.portMappings).toEqual([{ containerPort: 8080, hostPort: 0, protocol: "tcp" }]);
    expect(c).toMatchObject({ cpu: 256, memory: 256, user: "101", readonlyRootFilesystem: true });
  });

  test("awsvpc mode maps the container port to the same host port", () => {
    const td = onlyResource(synthJson(build({ networkMode: "awsvpc" })), "aws_ecs_task_definition");
    expect(td.network_mode).toBe("awsvpc");
    expect(JSON.parse(td.container_definitions)[0].portMappings[0].hostPort).toBe(8080);
  });

  test("rejects bad sizes and images", () => {
    expect(() => synthScope(build({ memory: 0 }))).toThrow(/memory \(0\)/);
    expect(() => synthScope(build({ cpu: 1.5 }))).toThrow(/cpu \(1.5\)/);
    expect(() => ContainerImage.fromRegistry("has space:1")).toThrow(/image \("has space:1"\)/);
  });
});
