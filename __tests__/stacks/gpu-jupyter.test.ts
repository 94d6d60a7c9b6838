import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { App } from "cdktf";
import * as crypto from "crypto";
import { spawnSync } from "child_process";
import { GpuJupyterStack, NOTEBOOK_DIR, USER_DATA_LIMIT_BYTES, assertUserDataFits, notebookBundle } from "../../stacks/gpu-jupyter";
import { UserData } from "../../modules/compute/user-data";
import { onlyResource, resourcesOf, synthStack, tempDir } from "../helpers/synth";
import { RawConfig, testConfig } from "../helpers/config";

function build(settings: RawConfig = {}) {
  return synthStack((app) => new GpuJupyterStack(app, "gpu-jupyter", testConfig({ stacks: { gpuJupyter: settings } })));
}

function userDataOf(json: ReturnType<typeof build>["json"]): string {
  return Buffer.from(onlyResource(json, "aws_launch_template").user_data, "base64").toString("utf8");
}

function warningsOf(stack: GpuJupyterStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === "@cdktf/warn")
    .map((m) => String(m.data));
}

describe("gpu-jupyter stack", () => {
  const { stack, json } = build();
  const lt = onlyResource(json, "aws_launch_template");

  test("the course network: 10.10.0.0/23, one public /24, no NAT gateway", () => {
    expect(onlyResource(json, "aws_vpc").cidr_block).toBe("10.10.0.0/23");
    expect(onlyResource(json, "aws_subnet").cidr_block).toBe("10.10.0.0/24");
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
  });

  test("only SSH from ssh.ingressCidr comes in; 8888 is never opened", () => {
    const rules = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ cidr_ipv4: "198.51.100.7/32", from_port: 22, to_port: 22, ip_protocol: "tcp" });
    expect(onlyResource(json, "aws_security_group").ingress).toBeUndefined();
    expect(rules.some((r) => r.from_port <= 8888 && r.to_port >= 8888)).toBe(false);
  });

  test("a g4dn.xlarge from the PyTorch DLAMI (AL2023) resolved from SSM at launch, no data source", () => {
    expect(lt.instance_type).toBe("g4dn.xlarge");
    expect(lt.image_id).toBe("resolve:ssm:/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.10-amazon-linux-2023/latest/ami-id");
    expect(json.data?.aws_ami).toBeUndefined();
    expect(json.data?.aws_ssm_parameter).toBeUndefined();
    expect(warningsOf(stack).join("\n")).not.toMatch(/no NVIDIA GPU/);
  });

  test("root volume: 100 GiB gp3, encrypted, on the DLAMI's root device", () => {
    expect(lt.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", volume_size: 100, delete_on_termination: "true" } },
    ]);
  });

  test("IMDSv2 and the key pair; no instance role: the course logs in with SSH", () => {
    expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(lt.key_name).toBe("test-key");
    expect(lt.iam_instance_profile).toBeUndefined();
    expect(resourcesOf(json, "aws_iam_role")).toEqual({});
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).toEqual({});
    expect(json.output?.SessionManagerTunnelCommand).toBeUndefined();
  });

  test("sessionManager: true adds the Session Manager profile and the port-forwarding command", () => {
    const { json: j } = build({ sessionManager: true });
    expect(onlyResource(j, "aws_launch_template").iam_instance_profile.arn).toMatch(/aws_iam_instance_profile/);
    expect(onlyResource(j, "aws_iam_role_policy_attachment").policy_arn).toMatch(/AmazonSSMManagedInstanceCore$/);
    expect(j.output?.SessionManagerTunnelCommand.value).toMatch(
      /^aws ssm start-session --region ap-northeast-1 --target \$\{aws_instance\..*\.id\} --document-name AWS-StartPortForwardingSession --parameters portNumber=8888,localPortNumber=8931$/,
    );
  });

  test("on-demand by default", () => {
    expect(lt.instance_market_options).toBeUndefined();
    expect(json.output?.CancelSpotRequestCommand).toBeUndefined();
  });

  test("user data installs Jupyter on 127.0.0.1:8888 and carries the notebooks, under EC2's 16 KB limit", () => {
    const script = userDataOf(json);
    expect(script.split("\n")[0]).toBe("#!/bin/bash");
    expect(script).toContain("export JUPYTER_PORT='8888'");
    expect(script).toContain("export LOCAL_PORT='8931'");
    expect(script).toContain("--ip=127.0.0.1");
    expect(script).toContain("set -euo pipefail");
    expect(Buffer.byteLength(script)).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
    // the notebooks decode back to the files in userdata/notebooks
    const entry = /export NOTEBOOKS='([^']*)'/.exec(script)![1].split(" ").find((e) => e.startsWith("mnist-cnn.ipynb:"))!;
    const decoded = zlib.gunzipSync(Buffer.from(entry.split(":")[1], "base64")).toString("utf8");
    expect(decoded).toBe(fs.readFileSync(path.join(__dirname, "../../userdata/notebooks/mnist-cnn.ipynb"), "utf8"));
  });

  test("the script's own decoder (base64 -d | gunzip) restores every notebook byte for byte", () => {
    for (const entry of notebookBundle().split(" ")) {
      const [name, data] = entry.split(":");
      const r = spawnSync("bash", ["-c", 'printf "%s" "$1" | base64 -d | gunzip', "decode", data], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(fs.readFileSync(path.join(NOTEBOOK_DIR, name), "utf8"));
    }
  });

  test("the notebook bundle is deterministic (no spurious launch template diff)", () => {
    expect(notebookBundle()).toBe(notebookBundle());
  });

  test("cost guard: an alarm stops the instance after 60 idle minutes under 5% CPU", () => {
    const alarm = onlyResource(json, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({ metric_name: "CPUUtilization", threshold: 5, period: 300, evaluation_periods: 12, comparison_operator: "LessThanThreshold" });
    expect(alarm.dimensions.InstanceId).toMatch(/^\$\{aws_instance\..*\.id\}$/);
    expect(alarm.alarm_name).toBe("aws-course-test-gpu-jupyter-idle-stop");
    expect(alarm.alarm_actions[0]).toMatch(/^arn:\$\{data\.aws_partition\.AwsPartition\.partition\}:automate:ap-northeast-1:ec2:stop$/);
  });

  test("outputs: public IP, instance id, tunnel, Jupyter URL command", () => {
    const out = json.output!;
    const ip = /\$\{aws_instance\..*\.public_ip\}/;
    const id = "\\$\\{aws_instance\\..*\\.id\\}";
    expect(out.InstancePublicIp.value).toMatch(ip);
    expect(out.InstanceId.value).toMatch(new RegExp(`^${id}$`));
    expect(out.TunnelCommand.value).toMatch(/^ssh -i ~\/\.ssh\/test-key\.pem -L localhost:8931:localhost:8888 ec2-user@\$\{aws_instance\..*\.public_ip\}$/);
    expect(out.JupyterUrlCommand.value).toMatch(/^ssh -i ~\/\.ssh\/test-key\.pem ec2-user@\$\{aws_instance\..*\.public_ip\} sudo cat \/etc\/gpu-jupyter\/url$/);
    expect(out.StopCommand.value).toMatch(/^aws ec2 stop-instances --region ap-northeast-1 --instance-ids/);
  });

  test("spot variant: a persistent request that stops on interruption, with a cleanup command", () => {
    const { json: j } = build({ spot: true, spotMaxPrice: "0.30" });
    expect(onlyResource(j, "aws_launch_template").instance_market_options).toEqual({
      market_type: "spot",
      spot_options: { spot_instance_type: "persistent", instance_interruption_behavior: "stop", max_price: "0.30" },
    });
    expect(j.output?.CancelSpotRequestCommand.value).toMatch(/^aws ec2 cancel-spot-instance-requests --region ap-northeast-1 /);
  });

  test("the cost guard can be turned off, or tuned", () => {
    expect(resourcesOf(build({ idleStop: { enabled: false } }).json, "aws_cloudwatch_metric_alarm")).toEqual({});
    const tuned = onlyResource(build({ idleStop: { cpuThresholdPercent: 10, idleMinutes: 30 } }).json, "aws_cloudwatch_metric_alarm");
    expect(tuned).toMatchObject({ threshold: 10, evaluation_periods: 6 });
  });

  test("instance type, PyTorch version, Base DLAMI and local port are settings", () => {
    const { json: j } = build({ instanceType: "g5.xlarge", pytorchVersion: "2.9", localPort: 9999 });
    expect(onlyResource(j, "aws_launch_template")).toMatchObject({ instance_type: "g5.xlarge" });
    expect(onlyResource(j, "aws_launch_template").image_id).toContain("pytorch-2.9-amazon-linux-2023");
    expect(j.output?.TunnelCommand.value).toContain("-L localhost:9999:localhost:8888");
    const base = build({ imageFlavor: "base" });
    expect(onlyResource(base.json, "aws_launch_template").image_id).toContain("base-oss-nvidia-driver-gpu-amazon-linux-2023");
    expect(warningsOf(base.stack).join("\n")).toMatch(/imageFlavor \(base\) ships no PyTorch/);
  });

  describe("validation", () => {
    test("a non-GPU instance type with the GPU image synthesizes with a warning", () => {
      const { stack: s, json: j } = build({ instanceType: "t3.large" });
      expect(onlyResource(j, "aws_launch_template").instance_type).toBe("t3.large");
      expect(warningsOf(s).join("\n")).toMatch(/instanceType \(t3\.large\) has no NVIDIA GPU/);
    });

    test.each([-5, 101])("refuses idleStop.cpuThresholdPercent %p", (value) => {
      expect(() => build({ idleStop: { cpuThresholdPercent: value } })).toThrow(/"cpuThresholdPercent"[\s\S]*must be in 0\.\.100/);
    });

    test("refuses idleStop.idleMinutes under 5", () => {
      expect(() => build({ idleStop: { idleMinutes: 4 } })).toThrow(/"idleMinutes"[\s\S]*5\.\.1440/);
    });

    test("refuses a root volume smaller than the DLAMI's snapshot", () => {
      expect(() => build({ rootVolumeGiB: 50 })).toThrow(/"rootVolumeGiB"[\s\S]*must be a whole number from 75 \(the root snapshot of Deep Learning AMI/);
    });

    test("refuses an image parameter that is not a DLAMI", () => {
      expect(() => build({ imageParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" })).toThrow(/must be a DLAMI SSM parameter[\s\S]*"imageParameter"/);
    });

    test("refuses a malformed spot price and PyTorch version in the config", () => {
      expect(() => build({ spotMaxPrice: "cheap" })).toThrow(/spotMaxPrice/);
      expect(() => build({ pytorchVersion: "latest" })).toThrow(/pytorchVersion/);
    });

    test("refuses user data over 16 KB, naming the size", () => {
      // GIVEN notebooks that do not compress (random bytes) WHEN bundled into the script THEN the size check refuses it
      const dir = tempDir("big-notebooks");
      fs.writeFileSync(path.join(dir, "big.ipynb"), crypto.randomBytes(20000).toString("hex"));
      const big = UserData.fromFile("gpu-jupyter.sh", { NOTEBOOKS: notebookBundle(dir) });
      expect(() => assertUserDataFits(big)).toThrow(/userData \(gpu-jupyter\.sh, \d+ bytes with the notebooks\) exceeds EC2's 16384-byte limit/);
      expect(() => assertUserDataFits(UserData.fromFile("gpu-jupyter.sh", { NOTEBOOKS: notebookBundle() }))).not.toThrow();
    });

    test("refuses an empty notebook folder", () => {
      expect(() => notebookBundle(tempDir("empty-notebooks"))).toThrow(/no \.ipynb file/);
    });
  });

  test("synthesizes inside the whole app", () => {
    const app = new App({ outdir: tempDir("gpu-app"), stackTraces: false });
    new GpuJupyterStack(app, "gpu-jupyter", testConfig());
    expect(() => app.synth()).not.toThrow();
  });
});
