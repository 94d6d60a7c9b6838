import { Construct } from "constructs";
import { Annotations, Token } from "cdktf";
import { DynamodbTable, DynamodbTableAttribute, DynamodbTableGlobalSecondaryIndex } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Grant, IGrantable } from "../iam/grant";
import { physicalName } from "../core/names";

export enum AttributeType {
  STRING = "S",
  NUMBER = "N",
  BINARY = "B",
}

export interface Attribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface GlobalSecondaryIndexProps {
  /** 3..255 of `A-Za-z0-9_.-`, unique in the table. */
  readonly indexName: string;
  readonly partitionKey: Attribute;
  /** @default none */
  readonly sortKey?: Attribute;
  /**
   * Attributes copied into the index. `ALL` doubles the storage and write cost of every item
   * written; `KEYS_ONLY` is the cheapest; `{ include: [...] }` in between.
   * @default "ALL"
   */
  readonly projection?: "ALL" | "KEYS_ONLY" | { readonly include: readonly string[] };
}

/** On-demand (pay per request) or provisioned capacity units. */
export const BILLING_MODES = ["PAY_PER_REQUEST", "PROVISIONED"] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

export interface TableProps {
  readonly partitionKey: Attribute;
  /** @default none */
  readonly sortKey?: Attribute;
  /**
   * 3..255 of `A-Za-z0-9_.-`, unique per account and region: include the environment
   * (`CourseStack.resourceName(...)`) when several environments share an account.
   * @default stable, from the construct path (`<stack>-<ids>`)
   */
  readonly tableName?: string;
  /**
   * On-demand (PAY_PER_REQUEST) costs nothing while idle: 0.715 USD per million writes and
   * 0.143 USD per million reads (ap-northeast-1, 2026-11), plus 0.285 USD per GB-month stored.
   * PROVISIONED bills capacity by the hour whether used or not.
   * @default "PAY_PER_REQUEST"
   */
  readonly billingMode?: BillingMode;
  /** PROVISIONED only: read capacity units of the table and each index. @default 5 when PROVISIONED */
  readonly readCapacity?: number;
  /** PROVISIONED only: write capacity units of the table and each index. @default 5 when PROVISIONED */
  readonly writeCapacity?: number;
  /**
   * Point-in-time recovery: restore to any second of the last 35 days.
   * Cost: ~0.228 USD per GB-month of table size (nothing for an empty table).
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Refuse `DeleteTable` (and thus `cdktf destroy`) until turned off (free). On by default:
   * a table people write to should not vanish with one command. The course's throwaway
   * tables pass {@link COURSE_TABLE_DELETION_PROTECTION} (false) and say why; to destroy a
   * protected table, set this false, apply, then destroy.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** Number attribute holding an epoch-seconds expiry; DynamoDB deletes expired items for free. @default none */
  readonly timeToLiveAttribute?: string;
  /** Up to 20 global secondary indexes. @default none */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndexProps[];
}

export const DEFAULT_PROVISIONED_CAPACITY = 5;
/** On-demand: nothing billed while idle. */
export const DEFAULT_BILLING_MODE: BillingMode = "PAY_PER_REQUEST";
/** Point-in-time recovery on (35 days of restores). */
export const DEFAULT_POINT_IN_TIME_RECOVERY = true;
/** Deletion protection on: tables users write to survive an accidental destroy (free). */
export const DEFAULT_TABLE_DELETION_PROTECTION = true;
/**
 * The course's throwaway tables (simple-dynamodb, the qa-bot's answers): no
 * deletion protection, because the stack is created and torn down within a
 * session and destroy must leave nothing billable.
 */
export const COURSE_TABLE_DELETION_PROTECTION = false;
const NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

/** Reads of items and the table description (no streams, no backups, no export). */
export const TABLE_READ_ACTIONS = [
  "dynamodb:BatchGetItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
] as const;

/** Writes of items (no table or index changes, no deletes of the table). */
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:BatchWriteItem",
  "dynamodb:DeleteItem",
  "dynamodb:DescribeTable",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
] as const;

/** The only actions that target an index (`<table arn>/index/<name>`); every item action targets the table ARN. */
export const INDEX_READ_ACTIONS = ["dynamodb:Query", "dynamodb:Scan"] as const;

/**
 * A DynamoDB table, secure and cheap by default: on-demand billing (nothing
 * billed while idle), point-in-time recovery, server-side encryption with
 * the AWS managed key `aws/dynamodb` (no key fee), deletion protection off
 * (course stacks are torn down).
 *
 * Access through `grantX(grantee)`, each a statement on exactly the ARNs the
 * actions work on: item reads and writes (and a Query or Scan of the base
 * table) on the table ARN; a Query or Scan of an index on
 * `<arn>/index/<name>` of that index only ({@link grantIndex}). Never
 * `<arn>/index/*` for writes: IAM evaluates PutItem, UpdateItem and
 * DeleteItem against the table ARN, so an index resource there only widens
 * the statement.
 */
export class Table extends Construct {
  readonly resource: DynamodbTable;
  /** Names of the global secondary indexes, in declaration order. */
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: TableProps) {
    super(scope, id);
    const billingMode = props.billingMode ?? DEFAULT_BILLING_MODE;
    const provisioned = billingMode === "PROVISIONED";
    const readCapacity = props.readCapacity ?? (provisioned ? DEFAULT_PROVISIONED_CAPACITY : undefined);
    const writeCapacity = props.writeCapacity ?? (provisioned ? DEFAULT_PROVISIONED_CAPACITY : undefined);
    const pointInTimeRecovery = props.pointInTimeRecovery ?? DEFAULT_POINT_IN_TIME_RECOVERY;
    const deletionProtection = props.deletionProtection ?? DEFAULT_TABLE_DELETION_PROTECTION;
    const tableName = props.tableName ?? physicalName(this, { maxLength: 255, disallowed: /[^A-Za-z0-9_.-]/g });
    const indexes = props.globalSecondaryIndexes ?? [];

    // Validate first.
    if (!props.partitionKey) throw new Error("partitionKey (undefined) is required");
    assertAttribute("partitionKey", props.partitionKey);
    if (props.sortKey) {
      assertAttribute("sortKey", props.sortKey);
      if (props.sortKey.name === props.partitionKey.name) {
        throw new Error(`sortKey.name (${props.sortKey.name}) must differ from partitionKey.name`);
      }
    }
    if (!Token.isUnresolved(tableName) && !NAME_PATTERN.test(tableName)) {
      throw new Error(`tableName (${tableName}) must be 3..255 characters of A-Za-z0-9_.-`);
    }
    if (billingMode !== "PAY_PER_REQUEST" && billingMode !== "PROVISIONED") {
      throw new Error(`billingMode (${String(billingMode)}) must be "PAY_PER_REQUEST" or "PROVISIONED"`);
    }
    if (!provisioned && (props.readCapacity !== undefined || props.writeCapacity !== undefined)) {
      throw new Error(
        `readCapacity (${props.readCapacity}) / writeCapacity (${props.writeCapacity}) apply only to billingMode "PROVISIONED", not ${billingMode}`
      );
    }
    if (provisioned) {
      assertCapacity("readCapacity", readCapacity!);
      assertCapacity("writeCapacity", writeCapacity!);
    }
    if (props.timeToLiveAttribute !== undefined && !props.timeToLiveAttribute.trim()) {
      throw new Error(`timeToLiveAttribute ("${props.timeToLiveAttribute}") must not be empty`);
    }
    if (indexes.length > 20) throw new Error(`globalSecondaryIndexes (${indexes.length}) must be at most 20`);
    const indexNames = new Set<string>();
    indexes.forEach((gsi, i) => {
      const where = `globalSecondaryIndexes[${i}]`;
      if (!NAME_PATTERN.test(gsi.indexName ?? "")) {
        throw new Error(`${where}.indexName (${gsi.indexName}) must be 3..255 characters of A-Za-z0-9_.-`);
      }
      if (indexNames.has(gsi.indexName)) throw new Error(`${where}.indexName (${gsi.indexName}) is used twice`);
      indexNames.add(gsi.indexName);
      assertAttribute(`${where}.partitionKey`, gsi.partitionKey);
      if (gsi.sortKey) assertAttribute(`${where}.sortKey`, gsi.sortKey);
      const p = gsi.projection;
      if (p !== undefined && p !== "ALL" && p !== "KEYS_ONLY") {
        if (!p.include || p.include.length === 0 || p.include.some((a) => !a.trim())) {
          throw new Error(`${where}.projection.include (${JSON.stringify(p.include)}) must list at least one non-empty attribute name`);
        }
      }
    });
    const attributes = collectAttributes(props, indexes);
    if (props.pointInTimeRecovery === false) {
      Annotations.of(this).addWarning(`${this.node.path}: pointInTimeRecovery is off; a bad write cannot be undone`);
    }

    // Then build.
    this.indexNames = indexes.map((gsi) => gsi.indexName);
    this.resource = new DynamodbTable(this, "Resource", {
      name: tableName,
      billingMode,
      readCapacity,
      writeCapacity,
      hashKey: props.partitionKey.name,
      rangeKey: props.sortKey?.name,
      attribute: attributes,
      pointInTimeRecovery: { enabled: pointInTimeRecovery },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: deletionProtection,
      ttl: props.timeToLiveAttribute ? { enabled: true, attributeName: props.timeToLiveAttribute } : undefined,
      globalSecondaryIndex: indexes.length ? indexes.map((gsi) => indexBlock(gsi, readCapacity, writeCapacity)) : undefined,
    });
  }

  get tableName(): string {
    return this.resource.name;
  }

  get tableArn(): string {
    return this.resource.arn;
  }

  /** ARN of one of this table's indexes, `<table arn>/index/<name>`. */
  indexArn(indexName: string): string {
    if (!this.indexNames.includes(indexName)) {
      throw new Error(`indexName (${indexName}) is not an index of ${this.node.path} (indexes: ${this.indexNames.join(", ") || "none"})`);
    }
    return `${this.tableArn}/index/${indexName}`;
  }

  /**
   * GetItem, BatchGetItem, Query, Scan, ConditionCheckItem, DescribeTable on
   * the table, and Query, Scan on each of its indexes (by name).
   */
  grantReadData(grantee: IGrantable): void {
    this.grant(grantee, ...TABLE_READ_ACTIONS);
    for (const name of this.indexNames) this.grantIndex(grantee, name, ...INDEX_READ_ACTIONS);
  }

  /** PutItem, UpdateItem, DeleteItem, BatchWriteItem, DescribeTable on the table ARN only. */
  grantWriteData(grantee: IGrantable): void {
    this.grant(grantee, ...TABLE_WRITE_ACTIONS);
  }

  /** Both lists above on the table (one statement), and Query, Scan on each index. */
  grantReadWriteData(grantee: IGrantable): void {
    this.grant(grantee, ...new Set<string>([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]));
    for (const name of this.indexNames) this.grantIndex(grantee, name, ...INDEX_READ_ACTIONS);
  }

  /**
   * Exactly these actions (e.g. "dynamodb:PutItem"), on the table ARN only:
   * item actions, and a Query or Scan of the base table. A Query of an
   * index needs {@link grantIndex} (or {@link grantIndexQuery}) instead.
   */
  grant(grantee: IGrantable, ...actions: string[]): void {
    this.assertActions("grant", actions);
    Grant.addToPrincipal({ grantee, actions: [...new Set(actions)].sort(), resourceArns: [this.tableArn] });
  }

  /**
   * Query and/or Scan of one index, on that index's ARN only (not the
   * table, not the other indexes): what a handler that pages an index needs.
   */
  grantIndex(grantee: IGrantable, indexName: string, ...actions: string[]): void {
    this.assertActions("grantIndex", actions);
    const other = actions.find((a) => !(INDEX_READ_ACTIONS as readonly string[]).includes(a));
    if (other) throw new Error(`grantIndex on ${this.node.path}: action (${other}) does not target an index; only ${INDEX_READ_ACTIONS.join(", ")} do`);
    Grant.addToPrincipal({ grantee, actions: [...new Set(actions)].sort(), resourceArns: [this.indexArn(indexName)] });
  }

  /** `dynamodb:Query` on one index's ARN only. */
  grantIndexQuery(grantee: IGrantable, indexName: string): void {
    this.grantIndex(grantee, indexName, "dynamodb:Query");
  }

  private assertActions(method: string, actions: readonly string[]): void {
    if (actions.length === 0) throw new Error(`${method} on ${this.node.path}: actions ([]) must list at least one dynamodb action`);
    for (const action of actions) {
      if (!/^dynamodb:[A-Za-z]+$/.test(action)) {
        throw new Error(`${method} on ${this.node.path}: action (${action}) must be one named dynamodb action like dynamodb:GetItem`);
      }
    }
  }
}

function assertAttribute(field: string, a: Attribute | undefined): void {
  if (!a || typeof a.name !== "string" || !a.name.trim()) {
    throw new Error(`${field}.name (${JSON.stringify(a?.name)}) must not be empty`);
  }
  if (Buffer.byteLength(a.name) > 255) throw new Error(`${field}.name (${a.name.slice(0, 20)}...) must be at most 255 bytes`);
  if (!Object.values(AttributeType).includes(a.type)) {
    throw new Error(`${field}.type (${String(a.type)}) must be AttributeType.STRING, NUMBER or BINARY`);
  }
}

function assertCapacity(field: string, value: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${field} (${value}) must be an integer >= 1`);
}

/** Key attributes of the table and its indexes, each once; a name used with two types is an error. */
function collectAttributes(props: TableProps, indexes: readonly GlobalSecondaryIndexProps[]): DynamodbTableAttribute[] {
  const types = new Map<string, AttributeType>();
  const keys: [string, Attribute | undefined][] = [
    ["partitionKey", props.partitionKey],
    ["sortKey", props.sortKey],
    ...indexes.flatMap((g, i): [string, Attribute | undefined][] => [
      [`globalSecondaryIndexes[${i}].partitionKey`, g.partitionKey],
      [`globalSecondaryIndexes[${i}].sortKey`, g.sortKey],
    ]),
  ];
  for (const [field, a] of keys) {
    if (!a) continue;
    const known = types.get(a.name);
    if (known && known !== a.type) throw new Error(`${field}.type (${a.type}) conflicts with type ${known} of attribute ${a.name}`);
    types.set(a.name, a.type);
  }
  return [...types.entries()].map(([name, type]) => ({ name, type }));
}

function indexBlock(gsi: GlobalSecondaryIndexProps, readCapacity?: number, writeCapacity?: number): DynamodbTableGlobalSecondaryIndex {
  const p = gsi.projection ?? "ALL";
  return {
    name: gsi.indexName,
    hashKey: gsi.partitionKey.name,
    rangeKey: gsi.sortKey?.name,
    projectionType: typeof p === "string" ? p : "INCLUDE",
    nonKeyAttributes: typeof p === "string" ? undefined : [...p.include],
    readCapacity,
    writeCapacity,
  };
}
