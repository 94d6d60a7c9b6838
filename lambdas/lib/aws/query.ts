/**
 * The AWS Query protocol (Auto Scaling, EC2, IAM, STS, ...): the request is
 * a form-encoded POST body `Action=<Op>&Version=<date>&...`, lists as
 * `Name.member.N` (1-based), nested structures as `Name.Member`, booleans
 * `true`/`false`, everything percent-encoded as SigV4 does (RFC 3986:
 * only A-Z a-z 0-9 - _ . ~ unescaped). Responses are XML: `<OpResponse>
 * <OpResult>...`, errors `<ErrorResponse><Error><Code>...<Message>...`.
 */
import type { IncomingHttpHeaders } from "http";
import type { ParsedError } from "./transport";
import { escapeUri } from "./sigv4";
import { childText, descendant, parseXml } from "./xml";

export type QueryValue = string | number | boolean | readonly QueryValue[] | { readonly [key: string]: QueryValue | undefined };

/** `params` flattened to Query keys, in order: `{ InstanceIds: ["i-1"] }` -> `[["InstanceIds.member.1", "i-1"]]`. */
export function flattenParams(params: Readonly<Record<string, QueryValue | undefined>>, prefix = ""): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = prefix + key;
    if (Array.isArray(value)) {
      value.forEach((v, i) => out.push(...flattenParams({ [`member.${i + 1}`]: v as QueryValue }, `${name}.`)));
    } else if (typeof value === "object") {
      out.push(...flattenParams(value as Record<string, QueryValue | undefined>, `${name}.`));
    } else {
      out.push([name, String(value)]);
    }
  }
  return out;
}

/** The form body of one call. */
export function queryBody(action: string, version: string, params: Readonly<Record<string, QueryValue | undefined>>): string {
  return [["Action", action] as [string, string], ["Version", version] as [string, string], ...flattenParams(params)]
    .map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`)
    .join("&");
}

/** `<ErrorResponse><Error><Code>ValidationError</Code><Message>...</Message></Error><RequestId>...` */
export function parseQueryError(status: number, body: string, _headers: IncomingHttpHeaders): ParsedError {
  try {
    const root = parseXml(body);
    const error = root.name === "Error" ? root : descendant(root, "Error");
    const code = childText(error, "Code");
    if (code) {
      const requestId = childText(root, "RequestId") ?? childText(error, "RequestId") ?? childText(descendant(root, "ResponseMetadata") ?? root, "RequestId");
      return { code, message: childText(error, "Message") ?? `HTTP ${status}`, ...(requestId ? { requestId } : {}) };
    }
  } catch {
    // not XML (a proxy's page): the status decides
  }
  return { code: "UnknownError", message: `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}` };
}
