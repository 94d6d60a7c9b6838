/**
 * The AWS endpoint of an offline review, on 127.0.0.1: terraform runs with
 * `AWS_ENDPOINT_URL` pointing here, so no request of any service leaves the
 * machine (not even a DNS lookup). (The provider's `endpoints` block would
 * do the same, but makes every plan four times slower.) It answers the few calls the AWS provider makes while
 * *planning* against existing state from that state itself, as AWS would:
 *
 *   EC2 DescribeTags  an instance launched from a launch template carries the
 *                     `aws:ec2launchtemplate:id` / `:version` tags; the
 *                     provider reads them to decide whether a new template
 *                     version replaces the instance.
 *
 * Any other call is refused with a message that names it, which terraform
 * prints in its error, and is recorded for the report.
 */
import * as http from "http";

export interface Tag {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly key: string;
  readonly value: string;
}

export interface LaunchTemplate {
  readonly id: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly defaultVersion: number;
}

/** What the stub knows of the account: made from the baseline states. */
export interface OfflineFacts {
  readonly tags: readonly Tag[];
  readonly launchTemplates: readonly LaunchTemplate[];
}

export interface OfflineAws {
  /** `http://127.0.0.1:<port>`: give it to terraform as `AWS_ENDPOINT_URL`, which every AWS service client honours. */
  readonly url: string;
  /** Replaces what the answers are made from. */
  setFacts(facts: OfflineFacts): void;
  /** Calls that were refused, as `<service> <action>`. */
  readonly refused: readonly string[];
  close(): Promise<void>;
}

export async function startOfflineAws(): Promise<OfflineAws> {
  let facts: OfflineFacts = { tags: [], launchTemplates: [] };
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      // The service is named in the SigV4 credential scope: Credential=<key>/<date>/<region>/<service>/aws4_request.
      const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "unknown";
      const form = new URLSearchParams(req.headers["content-type"]?.includes("x-www-form-urlencoded") ? body : "");
      const action = form.get("Action") ?? String(req.headers["x-amz-target"] ?? `${req.method} ${req.url}`);
      const answer = service === "ec2" ? EC2[action]?.(form, facts) : undefined;
      if (answer !== undefined) {
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(answer);
        return;
      }
      refused.push(`${service} ${action}`);
      const message = `the offline review answers no ${service} ${action} call (the plan asked AWS for something only a real account has; try npm run review -- --online)`;
      if (form.has("Action")) {
        res.writeHead(400, { "content-type": "text/xml" });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>OfflineReview</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>offline</RequestID></Response>`);
      } else {
        res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "OfflineReview" });
        res.end(JSON.stringify({ __type: "OfflineReview", message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  server.unref();
  return {
    url: `http://127.0.0.1:${port}`,
    setFacts: (f) => {
      facts = f;
    },
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const EC2: Record<string, (form: URLSearchParams, facts: OfflineFacts) => string | undefined> = {
  DescribeTags: (form, facts) => describeTags(form, facts.tags),
  DescribeLaunchTemplates: (form, facts) => describeLaunchTemplates(form, facts.launchTemplates),
};

/** Values of a query list parameter: `Name.1`, `Name.2`, ... */
function list(form: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; form.has(`${name}.${i}`); i++) out.push(form.get(`${name}.${i}`)!);
  return out;
}

/** EC2's DescribeLaunchTemplates by id or name. */
function describeLaunchTemplates(form: URLSearchParams, templates: readonly LaunchTemplate[]): string {
  const ids = list(form, "LaunchTemplateId");
  const names = list(form, "LaunchTemplateName");
  const matching = templates.filter((t) => (ids.length === 0 && names.length === 0) || ids.includes(t.id) || names.includes(t.name));
  const items = matching
    .map(
      (t) =>
        `<item><launchTemplateId>${xml(t.id)}</launchTemplateId><launchTemplateName>${xml(t.name)}</launchTemplateName><createTime>2026-01-01T00:00:00.000Z</createTime><createdBy>arn:aws:iam::123456789012:root</createdBy><defaultVersionNumber>${t.defaultVersion}</defaultVersionNumber><latestVersionNumber>${t.latestVersion}</latestVersionNumber></item>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><DescribeLaunchTemplatesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>offline</requestId><launchTemplates>${items}</launchTemplates></DescribeLaunchTemplatesResponse>`;
}

/** EC2's DescribeTags: filters `resource-id`, `key`, `resource-type`, `value`, each with values (OR), all ANDed. */
function describeTags(form: URLSearchParams, tags: readonly Tag[]): string {
  const filters: { name: string; values: string[] }[] = [];
  for (let i = 1; form.has(`Filter.${i}.Name`); i++) {
    const values: string[] = [];
    for (let j = 1; form.has(`Filter.${i}.Value.${j}`); j++) values.push(form.get(`Filter.${i}.Value.${j}`)!);
    filters.push({ name: form.get(`Filter.${i}.Name`)!, values });
  }
  const field: Record<string, keyof Tag> = { "resource-id": "resourceId", key: "key", "resource-type": "resourceType", value: "value" };
  const matching = tags.filter((t) => filters.every((f) => !field[f.name] || f.values.includes(t[field[f.name]])));
  const items = matching
    .map((t) => `<item><resourceId>${xml(t.resourceId)}</resourceId><resourceType>${xml(t.resourceType)}</resourceType><key>${xml(t.key)}</key><value>${xml(t.value)}</value></item>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><DescribeTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>offline</requestId><tagSet>${items}</tagSet></DescribeTagsResponse>`;
}

function xml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
