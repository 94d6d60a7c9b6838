import { ANY_IPV4, ANY_IPV6, parseIpv4Cidr, parseIpv6Cidr } from "./cidr";
import { assertIntInRange } from "../core/validate";

/** Where traffic comes from or goes to: an address range or a security group. */
export type Peer =
  | { readonly kind: "ipv4"; readonly cidr: string }
  | { readonly kind: "ipv6"; readonly cidr: string }
  | { readonly kind: "securityGroup"; readonly securityGroupId: string; readonly label: string };

export const Peer = {
  /** An IPv4 range, validated at synth. */
  ipv4(cidr: string): Peer {
    parseIpv4Cidr(cidr, "peer");
    return { kind: "ipv4", cidr };
  },
  /** An IPv6 range, validated at synth. */
  ipv6(cidr: string): Peer {
    parseIpv6Cidr(cidr, "peer");
    return { kind: "ipv6", cidr };
  },
  /** Every IPv4 address. Only load balancers on 80/443 should face it. */
  anyIpv4(): Peer {
    return { kind: "ipv4", cidr: ANY_IPV4 };
  },
  /** Every IPv6 address. */
  anyIpv6(): Peer {
    return { kind: "ipv6", cidr: ANY_IPV6 };
  },
  /** Members of a security group. */
  securityGroup(group: { readonly securityGroupId: string; readonly node: { readonly path: string } }): Peer {
    return { kind: "securityGroup", securityGroupId: group.securityGroupId, label: group.node.path };
  },
};

/** A protocol and port range. */
export interface Port {
  readonly protocol: "tcp" | "udp" | "icmp" | "-1";
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly label: string;
}

function checkPort(port: number): number {
  assertIntInRange(port, 0, 65535, "port");
  return port;
}

export const Port = {
  tcp(port: number): Port {
    checkPort(port);
    return { protocol: "tcp", fromPort: port, toPort: port, label: `tcp/${port}` };
  },
  tcpRange(from: number, to: number): Port {
    checkPort(from);
    checkPort(to);
    if (from > to) throw new Error(`port range ${from}-${to} is reversed`);
    return { protocol: "tcp", fromPort: from, toPort: to, label: `tcp/${from}-${to}` };
  },
  udp(port: number): Port {
    checkPort(port);
    return { protocol: "udp", fromPort: port, toPort: port, label: `udp/${port}` };
  },
  allTcp(): Port {
    return { protocol: "tcp", fromPort: 0, toPort: 65535, label: "tcp/all" };
  },
  allTraffic(): Port {
    return { protocol: "-1", label: "all traffic" };
  },
};
