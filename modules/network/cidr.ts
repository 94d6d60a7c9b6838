/**
 * IPv4 CIDR arithmetic, done at synth time so plans show concrete subnet
 * ranges (no `cidrsubnet()` expressions to evaluate in your head).
 */

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A parsed IPv4 block: `network` is the first address as an unsigned 32-bit number. */
export interface Ipv4Block {
  readonly network: number;
  readonly prefix: number;
}

/** The block every IPv4 address belongs to: an ingress rule from it is world-open. */
export const ANY_IPV4 = "0.0.0.0/0";
/** The IPv6 equivalent of {@link ANY_IPV4}. */
export const ANY_IPV6 = "::/0";

/**
 * Why `cidr` is not a valid IPv4 CIDR block, or `undefined` when it is.
 * Host bits must be zero (`10.0.0.1/16` is refused: AWS rejects it too).
 */
export function ipv4CidrProblem(cidr: string): string | undefined {
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return "is not an IPv4 CIDR block like 10.0.0.0/16";
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  const prefix = Number(m[5]);
  if (prefix > 32) return "has a prefix length above 32";
  const address = toNumber(octets);
  if ((address & hostMask(prefix)) >>> 0 !== 0) {
    return `has host bits set (did you mean ${formatIpv4(networkOf(address, prefix))}/${prefix}?)`;
  }
  return undefined;
}

/** Parses a CIDR block; throws with `field` and the value in the message when it is invalid. */
export function parseIpv4Cidr(cidr: string, field = "cidr"): Ipv4Block {
  const problem = ipv4CidrProblem(cidr);
  if (problem) throw new Error(`${field} ("${cidr}") ${problem}`);
  const m = IPV4_CIDR.exec(cidr)!;
  return { network: toNumber(m.slice(1, 5).map(Number)), prefix: Number(m[5]) };
}

/** `a.b.c.d/p` for a block. */
export function formatCidr(block: Ipv4Block): string {
  return `${formatIpv4(block.network)}/${block.prefix}`;
}

/** Number of addresses in a block. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/**
 * Carves consecutive sub-blocks of the given prefix lengths out of `parent`,
 * each aligned to its own size, in order. Throws when they do not fit.
 */
export function allocateSubnets(parent: Ipv4Block, prefixes: readonly number[], field = "subnets"): Ipv4Block[] {
  const end = parent.network + blockSize(parent.prefix);
  let cursor = parent.network;
  return prefixes.map((prefix, i) => {
    if (prefix < parent.prefix) {
      throw new Error(`${field}[${i}] cidrMask (/${prefix}) is larger than the VPC block ${formatCidr(parent)}`);
    }
    const size = blockSize(prefix);
    cursor = Math.ceil(cursor / size) * size;
    if (cursor + size > end) {
      throw new Error(
        `${field}: ${prefixes.length} subnets of /${prefixes.join(", /")} do not fit in ${formatCidr(parent)}; ` +
          "use a larger VPC block, smaller subnets (a larger cidrMask) or fewer availability zones",
      );
    }
    const block = { network: cursor, prefix };
    cursor += size;
    return block;
  });
}

/** True when the block covers every IPv4 or IPv6 address. */
export function isWorldOpen(cidr: string): boolean {
  return cidr.trim() === ANY_IPV4 || cidr.trim() === ANY_IPV6;
}

function toNumber(octets: number[]): number {
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

function hostMask(prefix: number): number {
  return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

function networkOf(address: number, prefix: number): number {
  return (address & ~hostMask(prefix)) >>> 0;
}
