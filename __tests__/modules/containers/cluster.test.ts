import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { Cluster } from "../../../modules/containers/cluster";
import { onlyResource, synthJson, synthScope } from "../../helpers/synth";

describe("Cluster", () => {
  test("keeps Container Insights off by default (no billed metrics)", () => {
    // GIVEN no props / WHEN synthesized
    const out = synthScope((s) => new Cluster(s, "Cluster"));
    // THEN
    expect(out).toHaveResourceWithProperties(EcsCluster, { setting: [{ name: "containerInsights", value: "disabled" }] });
  });

  test("turns Container Insights on through the prop", () => {
    const out = synthScope((s) => new Cluster(s, "Cluster", { containerInsights: true, clusterName: "qa" }));
    expect(out).toHaveResourceWithProperties(EcsCluster, { name: "qa", setting: [{ name: "containerInsights", value: "enabled" }] });
  });

  test("puts added capacity providers into one association with the default strategy", () => {
    const json = synthJson((s) => {
      const c = new Cluster(s, "Cluster");
      c.addCapacityProvider("FARGATE", { weight: 2, base: 1 });
      c.addCapacityProvider("FARGATE_SPOT");
    });
    const assoc = onlyResource(json, "aws_ecs_cluster_capacity_providers");
    expect(assoc.capacity_providers).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(assoc.default_capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", weight: 2, base: 1 }]);
  });

  test("rejects a bad cluster name and a duplicate provider", () => {
    expect(() => synthScope((s) => new Cluster(s, "C", { clusterName: "no spaces" }))).toThrow(/clusterName \("no spaces"\)/);
    expect(() =>
      synthScope((s) => {
        const c = new Cluster(s, "C");
        c.addCapacityProvider("FARGATE");
        c.addCapacityProvider("FARGATE");
      }),
    ).toThrow(/already added/);
    expect(() => synthScope((s) => new Cluster(s, "C").addCapacityProvider("FARGATE", { weight: -1 }))).toThrow(/weight \(-1\)/);
  });
});
