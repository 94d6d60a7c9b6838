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

/**
 * The widest public range a security group may accept without an explicit
 * opt-in: one person's address or one office's range is at most a /16 of
 * IPv4 (65,536 addresses) or a /48 of IPv6 (one organisation's site).
 */
export const WORLD_OPEN_PREFIX = { ipv4: 16, ipv6: 48 } as const;

/** The only ports a world-open range may reach, and only on a load balancer: HTTP and HTTPS (TCP). */
export const WORLD_OPEN_PORTS: readonly number[] = [80, 443];

/** IPv4 blocks that are not public internet addresses (RFC 6890): private, shared, loopback, link-local, documentation, multicast, reserved. */
const NON_PUBLIC_IPV4 = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
  "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
].map((c) => parseIpv4Cidr(c));

/** IPv6 blocks that are not public (unique local, link-local, loopback, unspecified, documentation, multicast). */
const NON_PUBLIC_IPV6 = ["::/128", "::1/128", "fc00::/7", "fe80::/10", "2001:db8::/32", "ff00::/8"].map((c) => parseIpv6Cidr(c));

/**
 * Why `cidr` is too wide to be one person's or one office's address -
 * it overlaps public address space and is wider than
 * {@link WORLD_OPEN_PREFIX} (`0.0.0.0/0`, `0.0.0.0/1`, `1.0.0.0/8`, `::/0`,
 * `2000::/3`) - or `undefined` when it is not (`203.0.113.10/32`, an office
 * /24, `10.0.0.0/8` and the other private ranges). The one definition used
 * by the configuration check, the security group helper and the policy
 * pack. Text that is not a CIDR block is not judged here (undefined).
 */
export function worldOpenProblem(cidr: string): string | undefined {
  const text = cidr.trim();
  if (text.includes(":")) {
    const block = tryParseIpv6(text);
    if (!block || block.prefix >= WORLD_OPEN_PREFIX.ipv6) return undefined;
    if (NON_PUBLIC_IPV6.some((p) => containsIpv6(p, block))) return undefined;
    return block.prefix === 0 ? "is every IPv6 address" : `is a public IPv6 range wider than /${WORLD_OPEN_PREFIX.ipv6} (2^${128 - block.prefix} addresses)`;
  }
  if (ipv4CidrProblem(text)) return undefined;
  const block = parseIpv4Cidr(text);
  if (block.prefix >= WORLD_OPEN_PREFIX.ipv4) return undefined;
  if (NON_PUBLIC_IPV4.some((p) => containsIpv4(p, block))) return undefined;
  return block.prefix === 0
    ? "is every IPv4 address"
    : `is a public IPv4 range wider than /${WORLD_OPEN_PREFIX.ipv4} (${blockSize(block.prefix).toLocaleString("en-US")} addresses)`;
}

/** True when an ingress rule from `cidr` faces a large part of the internet: see {@link worldOpenProblem}. */
export function isWorldOpen(cidr: string): boolean {
  return worldOpenProblem(cidr) !== undefined;
}

function containsIpv4(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return outer.prefix <= inner.prefix && networkOf(inner.network, outer.prefix) === outer.network;
}

/** A parsed IPv6 block: `network` as a 128-bit unsigned number. */
export interface Ipv6Block {
  readonly network: bigint;
  readonly prefix: number;
}

/** Why `cidr` is not a valid IPv6 CIDR block (`2001:db8::/32`), or `undefined` when it is. */
export function ipv6CidrProblem(cidr: string): string | undefined {
  const m = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return "is not an IPv6 CIDR block like 2001:db8::/32";
  const address = parseIpv6Address(m[1]);
  if (address === undefined) return "is not an IPv6 CIDR block like 2001:db8::/32";
  const prefix = Number(m[2]);
  if (prefix > 128) return "has a prefix length above 128";
  if (address & hostMask6(prefix)) return "has host bits set";
  return undefined;
}

/** Parses an IPv6 CIDR block; throws with `field` and the value in the message when it is invalid. */
export function parseIpv6Cidr(cidr: string, field = "cidr"): Ipv6Block {
  const problem = ipv6CidrProblem(cidr);
  if (problem) throw new Error(`${field} ("${cidr}") ${problem}`);
  return tryParseIpv6(cidr)!;
}

function tryParseIpv6(cidr: string): Ipv6Block | undefined {
  if (ipv6CidrProblem(cidr)) return undefined;
  const [address, prefix] = cidr.split("/");
  return { network: parseIpv6Address(address)!, prefix: Number(prefix) };
}

function parseIpv6Address(text: string): bigint | undefined {
  let tail: number[] = [];
  let head = text;
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const octets = dotted[2].split(".").map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    tail = [(octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
    head = dotted[1].endsWith("::") ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if ([...left, ...right].some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
  const given = left.length + right.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const words = [...left.map((g) => parseInt(g, 16)), ...Array(8 - given).fill(0), ...right.map((g) => parseInt(g, 16)), ...tail];
  return words.reduce((n: bigint, w: number) => (n << 16n) | BigInt(w), 0n);
}

function hostMask6(prefix: number): bigint {
  return (1n << BigInt(128 - prefix)) - 1n;
}

function containsIpv6(outer: Ipv6Block, inner: Ipv6Block): boolean {
  return outer.prefix <= inner.prefix && (inner.network & ~hostMask6(outer.prefix)) === outer.network;
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
