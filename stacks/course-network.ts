import { SubnetType } from "../modules/network/network";

/**
 * The course network shared by the instance hands-ons (first-ec2,
 * gpu-jupyter): 10.10.0.0/23, one AZ, one public /24, no NAT gateway (a NAT
 * gateway bills ~0.06 USD/h; the course insists on 0).
 */
export const COURSE_NETWORK = {
  cidr: "10.10.0.0/23",
  availabilityZones: 1,
  subnets: [{ name: "public", type: SubnetType.PUBLIC, cidrMask: 24 }],
  natGateways: 0,
} as const;
