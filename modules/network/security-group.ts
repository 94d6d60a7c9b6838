import { Construct } from "constructs";
import { SecurityGroup as SecurityGroupResource } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { INetwork } from "./network";
import { Peer, Port } from "./peer";
import { isWorldOpen, worldOpenProblem } from "./cidr";
import { suppress } from "../policy/suppress";

/** Ports that may face the whole internet (HTTP and HTTPS, for load balancers). */
export const WORLD_OPEN_PORTS: readonly number[] = [80, 443];

export interface SecurityGroupProps {
  readonly network: INetwork;
  /** Shown in the console; required by good practice (and policy). */
  readonly description: string;
  /**
   * Allow all outbound traffic. When false, add egress with {@link SecurityGroup.allowTo}.
   * @default true
   */
  readonly allowAllOutbound?: boolean;
  /**
   * Accept ingress from the internet - any public range wider than a /16
   * (IPv6 /48), see `worldOpenProblem` in cidr.ts - on ports other than 80
   * and 443 (for example SSH, when the user opted in). @default false
   */
  readonly allowWorldOpenIngress?: boolean;
}

export interface ISecurityGroup {
  readonly securityGroupId: string;
  readonly node: { readonly path: string };
}

/**
 * A security group whose rules are separate `aws_vpc_security_group_*_rule`
 * resources, each with a description, added through {@link allowFrom} and
 * {@link allowTo} (the connections helper). World-open ingress is refused at
 * synth except on 80/443 unless `allowWorldOpenIngress` is set.
 */
export class SecurityGroup extends Construct implements ISecurityGroup {
  readonly resource: SecurityGroupResource;
  private readonly allowWorldOpenIngress: boolean;
  private readonly ruleIds = new Set<string>();

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    if (!props.description.trim()) throw new Error("description must not be empty");
    this.allowWorldOpenIngress = props.allowWorldOpenIngress ?? false;
    this.resource = new SecurityGroupResource(this, "Resource", {
      namePrefix: `${this.node.path.replace(/\//g, "-").slice(0, 200)}-`,
      description: props.description,
      vpcId: props.network.vpcId,
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: this.node.path.replace(/\//g, "-") },
    });
    if (props.allowAllOutbound ?? true) {
      this.allowTo(Peer.anyIpv4(), Port.allTraffic(), "All outbound IPv4 traffic");
    }
  }

  get securityGroupId(): string {
    return this.resource.id;
  }

  /**
   * Lets `peer` reach this group's members on `port`. For a security-group
   * peer that restricts its own outbound traffic, the matching egress rule
   * is the caller's to add (`other.allowTo(Peer.securityGroup(this), ...)`).
   */
  allowFrom(peer: Peer, port: Port, description: string): this {
    this.checkDescription(description, "allowFrom");
    const worldOpen = peer.kind !== "securityGroup" && isWorldOpen(peer.cidr);
    const webOnly = port.protocol === "tcp" && port.fromPort === port.toPort && WORLD_OPEN_PORTS.includes(port.fromPort ?? -1);
    if (worldOpen && !webOnly && !this.allowWorldOpenIngress) {
      throw new Error(
        `${this.node.path}: ingress from ${peer.cidr} on ${port.label} ("${description}") opens that port to the internet ` +
          `(${peer.cidr} ${worldOpenProblem(peer.cidr)}); ` +
          "restrict the CIDR, or set allowWorldOpenIngress: true (ssh.allowWorldOpen in the config) to accept it",
      );
    }
    const rule = new VpcSecurityGroupIngressRule(this, this.ruleId("In", peer, port), {
      securityGroupId: this.resource.id,
      description,
      ...ruleTarget(peer, "referencedSecurityGroupId"),
      ...rulePorts(port),
    });
    if (worldOpen && !webOnly) {
      suppress(rule, "SG-NO-WORLD-INGRESS", `world-open ${port.label} was asked for explicitly (allowWorldOpenIngress)`);
    }
    return this;
  }

  /** Lets this group's members reach `peer` on `port`. */
  allowTo(peer: Peer, port: Port, description: string): this {
    this.checkDescription(description, "allowTo");
    new VpcSecurityGroupEgressRule(this, this.ruleId("Out", peer, port), {
      securityGroupId: this.resource.id,
      description,
      ...ruleTarget(peer, "referencedSecurityGroupId"),
      ...rulePorts(port),
    });
    return this;
  }

  private checkDescription(description: string, method: string): void {
    if (!description.trim()) throw new Error(`${this.node.path}.${method}: description must not be empty`);
    if (!/^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/.test(description)) {
      throw new Error(`${this.node.path}.${method}: description ("${description}") has characters AWS refuses in rule descriptions`);
    }
  }

  private ruleId(direction: string, peer: Peer, port: Port): string {
    const who = peer.kind === "securityGroup" ? `sg-${peer.label.replace(/[^A-Za-z0-9]/g, "")}` : peer.cidr.replace(/[^A-Za-z0-9]/g, "_");
    const id = `${direction}-${who}-${port.label.replace(/[^A-Za-z0-9]/g, "_")}`;
    if (this.ruleIds.has(id)) throw new Error(`${this.node.path}: the rule ${direction} ${port.label} for this peer is already defined`);
    this.ruleIds.add(id);
    return id;
  }
}

function ruleTarget(peer: Peer, sgKey: "referencedSecurityGroupId"): Record<string, string> {
  switch (peer.kind) {
    case "ipv4":
      return { cidrIpv4: peer.cidr };
    case "ipv6":
      return { cidrIpv6: peer.cidr };
    case "securityGroup":
      return { [sgKey]: peer.securityGroupId };
  }
}

function rulePorts(port: Port): { ipProtocol: string; fromPort?: number; toPort?: number } {
  return port.protocol === "-1"
    ? { ipProtocol: "-1" }
    : { ipProtocol: port.protocol, fromPort: port.fromPort, toPort: port.toPort };
}
