import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Repository } from "../../../modules/containers/repository";
import { Role } from "../../../modules/iam/role";
import { onlyResource, synthJson, synthScope } from "../../helpers/synth";

describe("Repository", () => {
  test("scans on push, encrypts, and force-deletes so destroy works", () => {
    const out = synthScope((s) => new Repository(s, "Repo", { repositoryName: "qa-bot" }));
    expect(out).toHaveResourceWithProperties(EcrRepository, {
      name: "qa-bot",
      force_delete: true,
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "AES256" }],
    });
  });

  test("keeps only the last N images (10 by default)", () => {
    const policy = (props = {}) => JSON.parse(onlyResource(synthJson((s) => new Repository(s, "Repo", props)), "aws_ecr_lifecycle_policy").policy);
    expect(policy().rules[0].selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
    expect(policy({ keepLastImages: 3 }).rules[0].selection.countNumber).toBe(3);
  });

  test("derives a lowercase name from the construct path", () => {
    const json = synthJson((s) => new Repository(s, "WorkerRepo"));
    expect(onlyResource(json, "aws_ecr_repository").name).toBe("stack-workerrepo");
  });

  test("grantPull gives pull actions on this repository and the login token (no resource-level permission)", () => {
    const json = synthJson((s) => {
      const role = new Role(s, "Role", { assumedBy: "ecs-tasks.amazonaws.com" });
      new Repository(s, "Repo").grantPull(role);
    });
    const statements = Object.values(json.data!.aws_iam_policy_document).find((d: any) => d.statement?.some?.((x: any) => x.sid === "PullImages")) as any;
    const pull = statements.statement.find((x: any) => x.sid === "PullImages");
    expect(pull.actions).toEqual(["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]);
    expect(pull.resources[0]).toMatch(/^\$\{aws_ecr_repository\..*\.arn\}$/);
    expect(statements.statement.find((x: any) => x.sid === "EcrLogin")).toMatchObject({ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
  });

  test("pushCommands log in, build and push the tag", () => {
    synthJson((s) => {
      const cmds = new Repository(s, "Repo").pushCommands("ap-northeast-1", "docker/qa-bot", "v1");
      expect(cmds[0]).toMatch(/^aws ecr get-login-password --region ap-northeast-1 \| docker login --username AWS --password-stdin /);
      expect(cmds[1]).toMatch(/^docker build .* docker\/qa-bot$/);
      expect(cmds[2]).toMatch(/^docker push .*:v1$/);
    });
  });

  test("rejects a bad name and a bad image count", () => {
    expect(() => synthScope((s) => new Repository(s, "R", { repositoryName: "Upper" }))).toThrow(/repositoryName \("Upper"\)/);
    expect(() => synthScope((s) => new Repository(s, "R", { keepLastImages: 0 }))).toThrow(/keepLastImages \(0\)/);
  });
});
