import { hclLiteral, referencesIn, rewriteTemplate } from "../../../tools/review/expressions";

const types = (t: string) => ["aws_vpc", "aws_subnet", "aws_iam_policy_document", "terraform_data", "aws_api_gateway_method"].includes(t);

describe("HCL references in cdktf's JSON strings", () => {
  test("finds a plain reference, with its attribute path", () => {
    expect(referencesIn("${aws_vpc.Network_Vpc_1.id}", types)).toEqual([{ mode: "managed", type: "aws_vpc", name: "Network_Vpc_1", steps: ["id"], splat: false }]);
  });

  test("finds data source references and index steps", () => {
    const refs = referencesIn('${data.aws_iam_policy_document.Doc.json} ${terraform_data.Secret.output["secret"]} ${aws_subnet.public-az1_X.tags[0]}', types);
    expect(refs).toEqual([
      { mode: "data", type: "aws_iam_policy_document", name: "Doc", steps: ["json"], splat: false },
      { mode: "managed", type: "terraform_data", name: "Secret", steps: ["output", "secret"], splat: false },
      { mode: "managed", type: "aws_subnet", name: "public-az1_X", steps: ["tags", 0], splat: false },
    ]);
  });

  test("finds references inside function calls and object constructors, not function names or keys", () => {
    const refs = referencesIn('${sha1(jsonencode([aws_api_gateway_method.A.id, {"aws_vpc" = aws_vpc.B.arn}]))}', types);
    expect(refs.map((r) => `${r.type}.${r.name}.${r.steps.join(".")}`)).toEqual(["aws_api_gateway_method.A.id", "aws_vpc.B.arn"]);
  });

  test("ignores literal text, escaped interpolations, unknown types and attribute access on other values", () => {
    expect(referencesIn("aws_vpc.A.id $${aws_vpc.B.id} ${var.x.aws_vpc} ${local.aws_vpc.id} ${module.m.aws_vpc}", types)).toEqual([]);
  });

  test("marks splats", () => {
    expect(referencesIn("${aws_subnet.S[*].id}", types)[0].splat).toBe(true);
  });

  test("replaces references and keeps everything else byte for byte", () => {
    const text = 'arn:${data.aws_iam_policy_document.D.json}:${jsonencode({"a" = aws_vpc.V.id, "b" = "x:${aws_subnet.S.id}"})}/*';
    const out = rewriteTemplate(text, types, (r) => (r.mode === "managed" ? hclLiteral(`${r.name}-value`) : undefined));
    expect(out).toBe('arn:${data.aws_iam_policy_document.D.json}:${jsonencode({"a" = "V-value", "b" = "x:${"S-value"}"})}/*');
  });

  test("HCL literals escape template sequences in strings", () => {
    expect(hclLiteral({ k: ["a${b}", 1, true, null], "%{x}": "%{y}" })).toBe('{"k" = ["a$${b}", 1, true, null], "%{x}" = "%%{y}"}');
  });
});
