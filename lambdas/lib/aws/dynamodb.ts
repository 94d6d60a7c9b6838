/**
 * DynamoDB over its JSON 1.0 protocol (POST /, `X-Amz-Target:
 * DynamoDB_20120810.<Operation>`, `application/x-amz-json-1.0`), with the
 * document client's plain values (marshall.ts): exactly the operations the
 * haiku repository sends - GetItem, PutItem, UpdateItem, DeleteItem, Scan.
 *
 * One method per operation, named as the operation (`putItem` ->
 * `PutItem`), each sending its literal name through the private `call`:
 * tools/iam-calls.ts reads the `@awsService` tag and those literals to know
 * which IAM action each `db.putItem(...)` in a handler needs.
 *
 * Errors: `AwsError` named by the `__type` code (`ConditionalCheckFailedException`,
 * `ProvisionedThroughputExceededException`, ...), retried as transport.ts says.
 */
import type { IncomingHttpHeaders } from "http";
import { AttributeMap, marshallMap, unmarshallMap } from "./marshall";
import { AwsClientOptions, AwsHttpClient, AwsService, ParsedError } from "./transport";

type Item = Record<string, unknown>;

export interface GetItemInput {
  readonly TableName: string;
  readonly Key: Item;
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ConsistentRead?: boolean;
}
export interface GetItemOutput {
  readonly Item?: Item;
}

export interface PutItemInput {
  readonly TableName: string;
  readonly Item: Item;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
}
export type PutItemOutput = Record<string, never>;

export type ReturnValue = "NONE" | "ALL_OLD" | "UPDATED_OLD" | "ALL_NEW" | "UPDATED_NEW";

export interface UpdateItemInput {
  readonly TableName: string;
  readonly Key: Item;
  readonly UpdateExpression: string;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
  readonly ReturnValues?: ReturnValue;
}
export interface UpdateItemOutput {
  readonly Attributes?: Item;
}

export interface DeleteItemInput {
  readonly TableName: string;
  readonly Key: Item;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
  readonly ReturnValues?: "NONE" | "ALL_OLD";
}
export interface DeleteItemOutput {
  readonly Attributes?: Item;
}

/** A Scan of the base table (no IndexName: the IAM checker counts base-table actions). */
export interface ScanInput {
  readonly TableName: string;
  readonly Limit?: number;
  readonly ExclusiveStartKey?: Item;
  readonly ProjectionExpression?: string;
  readonly FilterExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
  readonly ConsistentRead?: boolean;
}
export interface ScanOutput {
  readonly Items?: Item[];
  readonly LastEvaluatedKey?: Item;
  readonly Count?: number;
  readonly ScannedCount?: number;
}

/** Members holding one item-shaped value, marshalled on the way out and back. */
const ITEM_MEMBERS = ["Item", "Key", "ExpressionAttributeValues", "ExclusiveStartKey", "Attributes", "LastEvaluatedKey"] as const;

export const DYNAMODB_SERVICE: AwsService = {
  signingName: "dynamodb",
  serviceId: "DYNAMODB",
  endpointPrefix: "dynamodb",
  parseError: parseJsonError,
};

/** `{"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": ...}` (or `x-amzn-errortype`). */
export function parseJsonError(status: number, body: string, headers: IncomingHttpHeaders): ParsedError {
  let doc: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === "object") doc = parsed as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's HTML page): the status decides
  }
  const header = headers["x-amzn-errortype"];
  const raw = String((Array.isArray(header) ? header[0] : header) ?? doc.__type ?? doc.code ?? doc.Code ?? "");
  const code = raw.split(":")[0].split("#").pop() || "UnknownError";
  const message = doc.message ?? doc.Message ?? doc.errorMessage;
  return { code, message: typeof message === "string" ? message : `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}` };
}

/** @awsService dynamodb */
export class DynamoDB {
  private readonly http: AwsHttpClient;

  constructor(options: AwsClientOptions = {}) {
    this.http = new AwsHttpClient(DYNAMODB_SERVICE, options);
  }

  getItem(input: GetItemInput): Promise<GetItemOutput> {
    return this.call("GetItem", input);
  }

  putItem(input: PutItemInput): Promise<PutItemOutput> {
    return this.call("PutItem", input);
  }

  updateItem(input: UpdateItemInput): Promise<UpdateItemOutput> {
    return this.call("UpdateItem", input);
  }

  deleteItem(input: DeleteItemInput): Promise<DeleteItemOutput> {
    return this.call("DeleteItem", input);
  }

  scan(input: ScanInput): Promise<ScanOutput> {
    return this.call("Scan", input);
  }

  /** Closes kept-alive connections (tests, the dev server). */
  destroy(): void {
    this.http.destroy();
  }

  private async call<T>(operation: string, input: object): Promise<T> {
    const wire: Record<string, unknown> = { ...input };
    for (const m of ITEM_MEMBERS) if (wire[m] !== undefined) wire[m] = marshallMap(wire[m] as Item, m);
    const res = await this.http.post(operation, JSON.stringify(wire), {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `DynamoDB_20120810.${operation}`,
    });
    const out = (res.body ? JSON.parse(res.body) : {}) as Record<string, unknown>;
    for (const m of ITEM_MEMBERS) if (out[m] !== undefined) out[m] = unmarshallMap(out[m] as AttributeMap);
    if (Array.isArray(out.Items)) out.Items = (out.Items as AttributeMap[]).map(unmarshallMap);
    return out as T;
  }
}
