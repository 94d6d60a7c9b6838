import { Construct } from "constructs";
import { ApplicationLoadBalancer, ApplicationLoadBalancerProps } from "../loadbalancing/application-load-balancer";
import { ITargetGroup } from "./target-group";

export interface WebLoadBalancerProps extends Omit<ApplicationLoadBalancerProps, "defaultTargetGroupArn"> {
  /** Where requests go. */
  readonly targetGroup: ITargetGroup;
}

/**
 * The fleet's front door: the shared {@link ApplicationLoadBalancer}
 * (internet-facing, invalid header fields dropped, 80 from anywhere, and
 * with `certificateArn` HTTPS on 443 plus an HTTP->HTTPS redirect) with
 * every request forwarded to the fleet's one target group.
 *
 * Cost: about 0.0243 USD/h in ap-northeast-1 plus LCUs (prices of 2026-11).
 */
export class WebLoadBalancer extends ApplicationLoadBalancer {
  constructor(scope: Construct, id: string, props: WebLoadBalancerProps) {
    super(scope, id, { ...props, defaultTargetGroupArn: props.targetGroup.targetGroupArn });
  }
}
