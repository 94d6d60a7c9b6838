/**
 * The review's provider schemas come from the provider's own answer to
 * terraform's schema call: decoded, they say what
 * `terraform providers schema -json` says (the fixture is its rendering of
 * a few types: tools/fixtures/make-schema-fixture.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { FIXTURE_TYPES, SCHEMA_FIXTURE } from "../../../tools/fixtures/make-schema-fixture";
import { providerAnswers } from "../../../tools/review/provider-answers";
import { cacheRoot, installProviders } from "../../../tools/review/install";
import { schemasOfAnswer } from "../../../tools/review/schema";
import { terraformEnv } from "../../../tools/terraform";
import { tempDir } from "../../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..", "..");

test("the AWS provider's answer decodes to what terraform renders of its types, and holds all of them", async () => {
  const env = terraformEnv(tempDir("schema"), "offline");
  const install = await installProviders({ aws: { source: "aws", version: "5.100.0" } }, cacheRoot(ROOT), env);
  const [aws] = await providerAnswers(install, env);
  expect(aws).toMatchObject({ address: "registry.terraform.io/hashicorp/aws", protocol: "5" });
  const decoded = schemasOfAnswer(fs.readFileSync(aws.file), aws.protocol);
  const fixture = JSON.parse(fs.readFileSync(SCHEMA_FIXTURE, "utf8"));
  const pick = (all: Record<string, unknown>, types: string[]) => Object.fromEntries(types.map((t) => [t, all[t]]));
  expect(pick(decoded.resources, FIXTURE_TYPES.resources)).toEqual(fixture.resources);
  expect(pick(decoded.dataSources, FIXTURE_TYPES.dataSources)).toEqual(fixture.dataSources);
  expect(Object.keys(decoded.resources).length).toBeGreaterThan(1400);
  expect(Object.keys(decoded.dataSources).length).toBeGreaterThan(500);
}, 120_000);

describe("protocol differences", () => {
  const varint = (n: number, v: number) => Buffer.from([n * 8, v]);
  const bytes = (n: number, b: Buffer | string) => {
    const body = Buffer.from(b);
    return Buffer.concat([Buffer.from([n * 8 + 2, body.length]), body]);
  };
  const attribute = (name: string, ...rest: Buffer[]) => bytes(2, Buffer.concat([bytes(1, name), ...rest]));
  const answer = (attrs: Buffer) => bytes(2, Buffer.concat([bytes(1, "aws_thing"), bytes(2, Buffer.concat([varint(1, 2), bytes(2, attrs)]))]));

  test("protocol 6: field 10 of an attribute is its nested type", () => {
    // Object {1 attributes, 3 nesting (SET)}
    const nested = bytes(10, Buffer.concat([bytes(1, Buffer.concat([bytes(1, "port"), bytes(2, '"number"'), varint(4, 1)])), varint(3, 3)]));
    const decoded = schemasOfAnswer(answer(Buffer.concat([attribute("rules", nested, varint(5, 1))])), "6");
    expect(decoded.resources.aws_thing).toEqual({ version: 2, block: { attributes: { rules: { nested: { nesting: "set", attributes: { port: { type: "number", required: true } } }, optional: true } }, blocks: {} } });
  });

  test("protocol 5: field 10 is write_only (a flag), and the type is read as usual", () => {
    const decoded = schemasOfAnswer(answer(attribute("password", bytes(2, '"string"'), varint(7, 1), varint(10, 1))), "5");
    expect(decoded.resources.aws_thing.block.attributes).toEqual({ password: { type: "string", sensitive: true } });
  });
});
