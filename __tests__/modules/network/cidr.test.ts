import { WORLD_OPEN_PREFIX, ipv6CidrProblem, isWorldOpen, parseIpv6Cidr, worldOpenProblem } from "../../../modules/network/cidr";

describe("worldOpenProblem: too wide to be one person's or one office's address", () => {
  test.each([
    ["0.0.0.0/0", /every IPv4 address/],
    ["0.0.0.0/1", /public IPv4 range wider than \/16 \(2,147,483,648 addresses\)/],
    ["128.0.0.0/1", /public IPv4 range wider than \/16/],
    ["1.0.0.0/8", /public IPv4 range wider than \/16 \(16,777,216 addresses\)/],
    ["8.0.0.0/15", /wider than \/16/],
    ["10.0.0.0/7", /wider than \/16/], // 11.0.0.0/8 is public
    ["::/0", /every IPv6 address/],
    ["2000::/3", /public IPv6 range wider than \/48/],
    ["2400:cb00::/32", /public IPv6 range wider than \/48/],
    [" 0.0.0.0/0 ", /every IPv4 address/],
  ])("%s is world-open", (cidr, why) => {
    expect(worldOpenProblem(cidr)).toMatch(why);
    expect(isWorldOpen(cidr)).toBe(true);
  });

  test.each([
    "203.0.113.10/32", // one person
    "198.51.100.0/24", // an office
    "8.8.0.0/16", // the widest range still allowed
    "10.0.0.0/8", // private
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10", // carrier-grade NAT
    "2001:db8:1234::/48",
    "2001:db8::/32", // documentation
    "fc00::/7", // unique local
    "fe80::/10",
    "2406:da14:abc:1200::/56",
  ])("%s stays allowed", (cidr) => {
    expect(worldOpenProblem(cidr)).toBeUndefined();
    expect(isWorldOpen(cidr)).toBe(false);
  });

  test("the thresholds are the documented ones", () => {
    expect(WORLD_OPEN_PREFIX).toEqual({ ipv4: 16, ipv6: 48 });
    expect(isWorldOpen("8.8.0.0/16")).toBe(false);
    expect(isWorldOpen("8.8.0.0/15")).toBe(true);
    expect(isWorldOpen("2001:4860::/48")).toBe(false);
    expect(isWorldOpen("2001:4860::/47")).toBe(true);
  });

  test("text that is not a block is not judged (the parsers report it)", () => {
    expect(worldOpenProblem("${var.cidr}")).toBeUndefined();
    expect(worldOpenProblem("not a cidr")).toBeUndefined();
  });
});

describe("IPv6 CIDR parsing", () => {
  test.each([
    ["::/0", 0n, 0],
    ["2000::/3", 0x2000n << 112n, 3],
    ["2001:db8::/32", 0x20010db8n << 96n, 32],
    ["::ffff:192.0.2.0/120", (0xffffn << 32n) | 0xc0000200n, 120],
    ["1:2:3:4:5:6:7:8/128", 0x00010002000300040005000600070008n, 128],
  ])("%s", (cidr, network, prefix) => {
    expect(parseIpv6Cidr(cidr)).toEqual({ network, prefix });
  });

  test.each([
    ["2001:db8::1/32", /host bits set/],
    ["2001:db8::/129", /prefix length above 128/],
    ["2001:db8:::/32", /not an IPv6 CIDR block/],
    ["1:2:3:4:5:6:7:8:9/128", /not an IPv6 CIDR block/],
    ["12345::/16", /not an IPv6 CIDR block/],
    ["2001:db8::", /not an IPv6 CIDR block/],
  ])("%s is refused", (cidr, why) => {
    expect(ipv6CidrProblem(cidr)).toMatch(why);
    expect(() => parseIpv6Cidr(cidr, "peer")).toThrow(new RegExp(`^peer \\("${cidr.replace(/[.:/]/g, "\\$&")}"\\)`));
  });
});
