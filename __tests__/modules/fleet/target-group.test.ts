import { WebTargetGroup } from "../../../modules/fleet/target-group";
import { onlyResource, synthJson } from "../../helpers/synth";
import { testNetwork } from "./fixtures";

describe("WebTargetGroup", () => {
  test("HTTP instance targets, 120 s deregistration delay (the Spot notice) and a typed health check", () => {
    // GIVEN / WHEN defaults
    const json = synthJson((s) => new WebTargetGroup(s, "Tg", { network: testNetwork(s) }));
    // THEN
    const tg = onlyResource(json, "aws_lb_target_group");
    expect(tg).toMatchObject({ protocol: "HTTP", port: 8080, target_type: "instance", deregistration_delay: "120" });
    expect(tg.health_check).toEqual({
      enabled: true, protocol: "HTTP", port: "traffic-port", path: "/", matcher: "200",
      interval: 15, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3,
    });
    expect(tg.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("takes the health check and delay from props", () => {
    const json = synthJson(
      (s) =>
        new WebTargetGroup(s, "Tg", {
          network: testNetwork(s),
          port: 80,
          deregistrationDelaySeconds: 0,
          healthCheck: { path: "/health", intervalSeconds: 10, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 2, matcher: "200-299" },
        }),
    );
    expect(onlyResource(json, "aws_lb_target_group")).toMatchObject({
      port: 80,
      deregistration_delay: "0",
      health_check: expect.objectContaining({ path: "/health", interval: 10, timeout: 3, healthy_threshold: 3, unhealthy_threshold: 2, matcher: "200-299" }),
    });
  });

  test.each([
    [{ deregistrationDelaySeconds: 3601 }, /deregistrationDelaySeconds \(3601\) must be a whole number in 0\.\.3600/],
    [{ deregistrationDelaySeconds: -1 }, /deregistrationDelaySeconds \(-1\)/],
    [{ port: 0 }, /port \(0\)/],
    [{ healthCheck: { path: "health" } }, /healthCheck.path \("health"\)/],
    [{ healthCheck: { intervalSeconds: 4 } }, /healthCheck.intervalSeconds \(4\)/],
    [{ healthCheck: { timeoutSeconds: 15, intervalSeconds: 15 } }, /healthCheck.timeoutSeconds \(15\) must be < healthCheck.intervalSeconds \(15\)/],
    [{ healthCheck: { healthyThreshold: 1 } }, /healthCheck.healthyThreshold \(1\)/],
    [{ healthCheck: { unhealthyThreshold: 11 } }, /healthCheck.unhealthyThreshold \(11\)/],
    [{ healthCheck: { matcher: "ok" } }, /healthCheck.matcher \("ok"\)/],
  ])("refuses %j", (props, message) => {
    expect(() => synthJson((s) => new WebTargetGroup(s, "Tg", { network: testNetwork(s), ...props }))).toThrow(message);
  });
});
