import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { Construct } from "constructs";
import { Annotations, TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { COURSE_NETWORK, sshOnlySecurityGroup } from "./course-network";
import { Network } from "../modules/network/network";
import { Instance } from "../modules/compute/instance";
import { MachineImage } from "../modules/compute/machine-image";
import { USERDATA_DIR, UserData } from "../modules/compute/user-data";
import { IdleStopAlarm } from "../modules/compute/idle-stop-alarm";

/** Jupyter's port on the instance, bound to 127.0.0.1 and never opened in the security group. */
export const JUPYTER_PORT = 8888;

/** Where the user data writes the Jupyter URL with its token (root-only). */
export const JUPYTER_URL_FILE = "/etc/gpu-jupyter/url";

/** EC2 refuses user data above 16 KB (before base64). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/** Folder of the course notebooks shipped inside the user data. */
export const NOTEBOOK_DIR = path.join(USERDATA_DIR, "notebooks");

/**
 * The notebooks of `dir` as one shell word list, `name.ipynb:<base64 of gzip>`
 * per notebook, sorted by name. gzip without a file name or time stamp, so
 * the same notebooks always give the same user data (no spurious diff).
 */
export function notebookBundle(dir: string = NOTEBOOK_DIR): string {
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".ipynb"))
    .sort();
  if (names.length === 0) throw new Error(`notebooks: no .ipynb file in ${dir}`);
  return names
    .map((name) => {
      if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith(".")) throw new Error(`notebook name ("${name}") must match [A-Za-z0-9._-]+`);
      const gz = zlib.gzipSync(fs.readFileSync(path.join(dir, name)), { level: 9 });
      return `${name}:${gz.toString("base64")}`;
    })
    .join(" ");
}

/** Throws when the script (with its variables) exceeds EC2's 16 KB user data limit. */
export function assertUserDataFits(userData: UserData): void {
  const bytes = Buffer.byteLength(userData.text, "utf8");
  if (bytes > USER_DATA_LIMIT_BYTES) {
    throw new Error(`userData (${userData.source}, ${bytes} bytes with the notebooks) exceeds EC2's ${USER_DATA_LIMIT_BYTES}-byte limit; shrink userdata/notebooks`);
  }
}

/**
 * `gpu-jupyter` (hands-on 2): a Deep Learning AMI instance (g4dn.xlarge,
 * PyTorch DLAMI on Amazon Linux 2023) in the course network, SSH from
 * `ssh.ingressCidr` only, Jupyter on 127.0.0.1:8888 reached through an SSH
 * tunnel (or Session Manager port forwarding with `sessionManager: true`;
 * no instance role by default), and a cost guard that stops
 * the instance after an idle hour.
 * Cost note: g4dn.xlarge bills ~0.53 (us-east-1) to ~0.71 (ap-northeast-1)
 * USD/h while running; stopped, only the 100 GiB volume bills (~8-10 USD/month).
 */
export class GpuJupyterStack extends CourseStack {
  readonly server: Instance;
  readonly idleStop?: IdleStopAlarm;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const settings = config.stacks.gpuJupyter;

    // Validate first: the image and the notebooks (user data size) before any resource.
    const image = MachineImage.deepLearning({
      flavor: settings.imageFlavor,
      pytorchVersion: settings.pytorchVersion,
      parameter: settings.imageParameter,
    });
    const userData = UserData.fromFile("gpu-jupyter.sh", {
      JUPYTER_PORT: String(JUPYTER_PORT),
      LOCAL_PORT: String(settings.localPort),
      NOTEBOOKS: notebookBundle(),
    });
    assertUserDataFits(userData);
    if (settings.imageFlavor === "base" && settings.imageParameter === undefined) {
      Annotations.of(this).addWarning(
        "imageFlavor (base) ships no PyTorch: the Jupyter setup fails until you install PyTorch into /opt/pytorch or pick the pytorch flavor",
      );
    }

    const network = new Network(this, "Network", { ...COURSE_NETWORK, name: this.resourceName("gpu-jupyter") });
    const ssh = sshOnlySecurityGroup(this, network, config, {
      description: "SSH from the configured address only; Jupyter (8888) stays on localhost",
      ruleDescription: "SSH from ssh.ingressCidr (tunnel to Jupyter)",
    });

    this.server = new Instance(this, "Workstation", {
      network,
      instanceType: settings.instanceType,
      machineImage: image,
      keyName: config.ssh.keyName,
      rootVolumeGiB: settings.rootVolumeGiB,
      securityGroups: [ssh],
      userData,
      sessionManager: settings.sessionManager,
      spot: settings.spot ? { requestType: "persistent", interruptionBehavior: "stop", maxPrice: settings.spotMaxPrice } : undefined,
    });

    if (settings.idleStop.enabled) {
      this.idleStop = new IdleStopAlarm(this, "IdleStop", {
        instance: this.server,
        cpuThresholdPercent: settings.idleStop.cpuThresholdPercent,
        idleMinutes: settings.idleStop.idleMinutes,
        alarmName: `${this.resourceName("gpu-jupyter")}-idle-stop`,
      });
    }

    const ip = this.server.publicIp;
    const login = `ssh -i ~/.ssh/${config.ssh.keyName}.pem ${image.loginUser}@${ip}`;
    new TerraformOutput(this, "InstancePublicIp", { value: ip, description: "Public IPv4 address (changes after a stop/start)" });
    new TerraformOutput(this, "InstanceId", { value: this.server.instanceId });
    new TerraformOutput(this, "TunnelCommand", {
      description: `Forward localhost:${settings.localPort} to Jupyter on the instance; keep it open while you work`,
      value: `ssh -i ~/.ssh/${config.ssh.keyName}.pem -L localhost:${settings.localPort}:localhost:${JUPYTER_PORT} ${image.loginUser}@${ip}`,
    });
    new TerraformOutput(this, "JupyterUrlCommand", {
      description: "Print the Jupyter URL with its token (open it while the tunnel runs)",
      value: `${login} sudo cat ${JUPYTER_URL_FILE}`,
    });
    if (settings.sessionManager) {
      new TerraformOutput(this, "SessionManagerTunnelCommand", {
        description: "The same tunnel without SSH or an open port (needs the Session Manager plugin)",
        value:
          `aws ssm start-session --region ${config.region} --target ${this.server.instanceId} ` +
          `--document-name AWS-StartPortForwardingSession --parameters portNumber=${JUPYTER_PORT},localPortNumber=${settings.localPort}`,
      });
    }
    new TerraformOutput(this, "StopCommand", {
      description: "Stop the instance (only the EBS volume bills while stopped)",
      value: `aws ec2 stop-instances --region ${config.region} --instance-ids ${this.server.instanceId}`,
    });
    if (settings.spot) {
      new TerraformOutput(this, "CancelSpotRequestCommand", {
        description: "Cancels the persistent Spot request by hand; destroy does it automatically when the AWS CLI is installed (hashicorp/terraform-provider-aws#38142)",
        value:
          `aws ec2 cancel-spot-instance-requests --region ${config.region} --spot-instance-request-ids ` +
          `$(aws ec2 describe-instances --region ${config.region} --instance-ids ${this.server.instanceId} ` +
          `--query 'Reservations[0].Instances[0].SpotInstanceRequestId' --output text)`,
      });
    }
  }
}
