import { Construct } from "constructs";
import { SecurityGroup as SecurityGroupResource } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { INetwork } from "./network";
import { Peer, Port } from "./peer";
import { WORLD_OPEN_PORTS, isWorldOpen, worldOpenProblem } from "./cidr";
import { suppress } from "../policy/suppress";
import { movedFromPath } from "../core/cdktf-internals";


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

/** Options of one rule. */
export interface RuleOptions {
  /**
   * The rule's construct id under `Ingress|Egress/<port>/` (a Terraform
   * address): needed only for a second CIDR peer of one IP family on one port.
   * @default `ipv4` / `ipv6` for a CIDR peer (so a changed CIDR updates the rule
   * in place), `sg-<peer's path>` for a security-group peer
   */
  readonly name?: string;
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
  allowFrom(peer: Peer, port: Port, description: string, options: RuleOptions = {}): this {
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
    const [scope, id] = this.ruleScope("Ingress", peer, port, options);
    const rule = new VpcSecurityGroupIngressRule(scope, id, {
      securityGroupId: this.resource.id,
      description,
      ...ruleTarget(peer, "referencedSecurityGroupId"),
      ...rulePorts(port),
    });
    movedFromPath(rule, this, flatRuleId("In", peer, port));
    if (worldOpen && !webOnly) {
      suppress(rule, "SG-NO-WORLD-INGRESS", `world-open ${port.label} was asked for explicitly (allowWorldOpenIngress)`);
    }
    return this;
  }

  /** Lets this group's members reach `peer` on `port`. */
  allowTo(peer: Peer, port: Port, description: string, options: RuleOptions = {}): this {
    this.checkDescription(description, "allowTo");
    const [scope, id] = this.ruleScope("Egress", peer, port, options);
    const rule = new VpcSecurityGroupEgressRule(scope, id, {
      securityGroupId: this.resource.id,
      description,
      ...ruleTarget(peer, "referencedSecurityGroupId"),
      ...rulePorts(port),
    });
    movedFromPath(rule, this, flatRuleId("Out", peer, port));
    return this;
  }

  private checkDescription(description: string, method: string): void {
    if (!description.trim()) throw new Error(`${this.node.path}.${method}: description must not be empty`);
    if (!/^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/.test(description)) {
      throw new Error(`${this.node.path}.${method}: description ("${description}") has characters AWS refuses in rule descriptions`);
    }
  }

  /**
   * Where a rule goes: `<Ingress|Egress>/<port>/<name>`, ids from names
   * (the IP family, the peer group), not values (the CIDR), so a changed
   * CIDR keeps the rule's address.
   */
  private ruleScope(direction: "Ingress" | "Egress", peer: Peer, port: Port, options: RuleOptions): [Construct, string] {
    const name = options.name ?? (peer.kind === "securityGroup" ? `sg-${peer.label.replace(/[^A-Za-z0-9]/g, "")}` : peer.kind);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new Error(`${this.node.path}: rule name (${name}) must be 1-64 letters, digits, _ or -`);
    const key = `${direction} ${port.label} ${name}`;
    if (this.ruleIds.has(key)) {
      throw new Error(`${this.node.path}: the ${direction.toLowerCase()} rule ${port.label} "${name}" is already defined (a second ${peer.kind} peer on this port needs options.name)`);
    }
    this.ruleIds.add(key);
    const directionScope = (this.node.tryFindChild(direction) as Construct | undefined) ?? new Construct(this, direction);
    const portId = port.label.replace(/[^A-Za-z0-9]+/g, "-");
    const portScope = (directionScope.node.tryFindChild(portId) as Construct | undefined) ?? new Construct(directionScope, portId);
    return [portScope, name];
  }
}

/** The flat rule id of earlier versions (`In-203_0_113_0_24-tcp_22`): the address each rule is moved from. */
function flatRuleId(direction: "In" | "Out", peer: Peer, port: Port): string {
  const who = peer.kind === "securityGroup" ? `sg-${peer.label.replace(/[^A-Za-z0-9]/g, "")}` : peer.cidr.replace(/[^A-Za-z0-9]/g, "_");
  return `${direction}-${who}-${port.label.replace(/[^A-Za-z0-9]/g, "_")}`;
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
