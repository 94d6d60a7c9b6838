/**
 * The AWS calls code makes, read from its source (no execution):
 *
 * - TypeScript, the project's own AWS client (lambdas/lib/aws/, what the
 *   Lambda handlers use): a class tagged `/** @awsService <IAM prefix> *\/`
 *   whose methods each send one operation through `this.call("<Operation>",
 *   ...)` with a literal name, the method named as the operation in
 *   lowerCamelCase (`putItem` -> `PutItem`). A call `x.putItem(...)` in
 *   reachable code is then `dynamodb:PutItem`, at that call's file and line,
 *   when a loaded module declares such a method. Refused (throws, naming the
 *   file): a non-literal operation, a method named otherwise than its
 *   operation, a prefix not in SDK_SERVICE_PREFIXES, and a module that
 *   imports the raw transport `AwsHttpClient` without declaring an
 *   `@awsService` class (it could send anything).
 * - TypeScript, AWS SDK v3 (docker/qa-bot): `new XxxCommand(...)` of an
 *   SDK client (`@aws-sdk/client-<service>`, `@aws-sdk/lib-dynamodb`) and
 *   `paginateXxx(...)`.
 * - Both reachable from one entry export (a Lambda's `handler`, a
 *   container's main module). Reachability is a call graph of named units -
 *   top-level statements, functions, `const f = () => ...`, class methods -
 *   across the entry's local imports: a unit reaches the functions it names
 *   and, for `x.name`, every method called `name` of the classes in the
 *   loaded modules. That over-approximates (an unrelated `.delete` reaches
 *   every `delete` method), never under-approximates, so a role that passes
 *   the check is not missing a call. A shared repository with one method
 *   per route counts, per entry, only the methods that entry's handler names.
 * - Shell: `aws <service> <command>` in user data, with the shell function
 *   each call sits in.
 *
 * What it refuses (throws, naming the file): SDK imports it cannot map
 * (aggregated clients like `new DynamoDB()` of the SDK, `import *`,
 * transactions and PartiQL whose IAM actions depend on the statements),
 * the client patterns above, and `aws s3` (the high-level commands map to
 * several actions). Unrefused dynamic patterns (`require`, computed
 * `client[method]`) are not used in this project.
 *
 * Usage: `node --import tsx tools/iam-calls.ts lambdas/haiku-list/index.ts [export]`
 * or `... userdata/web-fleet.sh`.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export interface AwsCall {
  /** IAM action, e.g. `dynamodb:PutItem`. */
  readonly action: string;
  /** What the code wrote: `DynamoDB.putItem`, `PutCommand`, `aws autoscaling complete-lifecycle-action`. */
  readonly call: string;
  /** File (relative to the project root) and line. */
  readonly file: string;
  readonly line: number;
  /** DynamoDB: the command names an `IndexName` (it reads an index, not the base table). */
  readonly index?: boolean;
  /** Shell: the function the call is in (`complete_action`), or undefined at top level. */
  readonly shellFunction?: string;
}

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** SDK v3 package -> IAM service prefix. A package not listed here is refused, so it cannot slip by unchecked. */
export const SDK_SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  "@aws-sdk/client-dynamodb": "dynamodb",
  "@aws-sdk/lib-dynamodb": "dynamodb",
  "@aws-sdk/client-auto-scaling": "autoscaling",
  "@aws-sdk/client-ecs": "ecs",
  "@aws-sdk/client-lambda": "lambda",
  "@aws-sdk/client-sqs": "sqs",
  "@aws-sdk/client-sns": "sns",
  "@aws-sdk/client-ssm": "ssm",
  "@aws-sdk/client-sts": "sts",
  "@aws-sdk/client-ec2": "ec2",
  "@aws-sdk/client-cloudwatch-logs": "logs",
};

/** DocumentClient commands -> the DynamoDB action IAM checks. */
export const DOCUMENT_CLIENT_ACTIONS: Readonly<Record<string, string>> = {
  PutCommand: "PutItem",
  GetCommand: "GetItem",
  UpdateCommand: "UpdateItem",
  DeleteCommand: "DeleteItem",
  QueryCommand: "Query",
  ScanCommand: "Scan",
  BatchGetCommand: "BatchGetItem",
  BatchWriteCommand: "BatchWriteItem",
};

/** Commands whose IAM actions depend on what they contain: refused rather than guessed. */
const UNMAPPABLE = /^(TransactGet|TransactWrite|ExecuteStatement|BatchExecuteStatement|ExecuteTransaction)(Items)?Command$/;

/** AWS CLI service -> IAM prefix (same name unless listed). */
const CLI_SERVICE_PREFIXES: Readonly<Record<string, string>> = { s3api: "s3" };

function rel(file: string): string {
  return path.relative(PROJECT_ROOT, file).split(path.sep).join("/");
}

/** `XxxCommand` of a package -> IAM action. */
export function commandAction(pkg: string, command: string, where: string): string {
  const prefix = SDK_SERVICE_PREFIXES[pkg];
  if (!prefix) throw new Error(`${where}: ${pkg} is not in SDK_SERVICE_PREFIXES (tools/iam-calls.ts): add its IAM prefix`);
  if (UNMAPPABLE.test(command)) throw new Error(`${where}: ${command} needs per-item IAM actions; the checker cannot read them from the source`);
  if (pkg === "@aws-sdk/lib-dynamodb") {
    const action = DOCUMENT_CLIENT_ACTIONS[command];
    if (!action) throw new Error(`${where}: ${command} of @aws-sdk/lib-dynamodb is not in DOCUMENT_CLIENT_ACTIONS`);
    return `dynamodb:${action}`;
  }
  return `${prefix}:${command.replace(/Command$/, "")}`;
}

type Unit = {
  readonly id: string;
  readonly calls: AwsCall[];
  /** Identifiers named (functions of this module, imports). */
  readonly names: Set<string>;
  /** Property names (`x.name`), for method resolution. */
  readonly properties: Set<string>;
  /** `new LocalClass(...)`. */
  readonly constructs: Set<string>;
  /** `x.name(...)` call sites, matched against `@awsService` methods once every module is loaded. */
  readonly methodCalls: { name: string; line: number; index: boolean }[];
};

/** An operation method of an `@awsService` class. */
type ClientMethod = { readonly action: string; readonly call: string };

type Module = {
  readonly file: string;
  readonly units: Map<string, Unit>;
  /** class name -> method name -> unit id */
  readonly classes: Map<string, Map<string, string>>;
  /** local name -> { file, imported name } for local (relative) imports */
  readonly localImports: Map<string, { file: string; name: string }>;
  /** exported name -> unit id */
  readonly exports: Map<string, string>;
  /** method name -> operation, of the module's `@awsService` classes */
  readonly clientMethods: Map<string, ClientMethod>;
};

/** The transport that signs any operation: only `@awsService` modules may import it. */
const RAW_TRANSPORT = "AwsHttpClient";
const IAM_PREFIXES = new Set(Object.values(SDK_SERVICE_PREFIXES));

/** The `@awsService` prefix of a class, or undefined. */
function awsServiceTag(node: ts.ClassDeclaration): string | undefined {
  const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "awsService");
  if (!tag) return undefined;
  const text = typeof tag.comment === "string" ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? "";
  return text.trim();
}

const hasIndexName = (arg: ts.Expression | undefined) =>
  !!arg && ts.isObjectLiteralExpression(arg) && arg.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "IndexName");

const TOP = "<top>";

function resolveLocal(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${rel(from)}: cannot resolve import "${spec}"`);
}

function parseModule(file: string): Module {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const sdk = new Map<string, { pkg: string; name: string }>();
  const localImports = new Map<string, { file: string; name: string }>();
  const units = new Map<string, Unit>();
  const classes = new Map<string, Map<string, string>>();
  const exports = new Map<string, string>();
  const clientMethods = new Map<string, ClientMethod>();
  let importsRawTransport: ts.Node | undefined;
  const newUnit = (id: string): Unit => {
    const u: Unit = { id, calls: [], names: new Set(), properties: new Set(), constructs: new Set(), methodCalls: [] };
    units.set(id, u);
    return u;
  };
  const where = (node: ts.Node) => `${rel(file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

  for (const st of source.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    const clause = st.importClause;
    if (spec.startsWith("@aws-sdk/")) {
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name || (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings))) {
        throw new Error(`${where(st)}: default or namespace import of ${spec}: import the commands by name`);
      }
      for (const el of (clause.namedBindings as ts.NamedImports | undefined)?.elements ?? []) {
        if (el.isTypeOnly) continue;
        const name = (el.propertyName ?? el.name).text;
        if (/Command$/.test(name) || /^paginate[A-Z]/.test(name)) {
          commandAction(spec, /Command$/.test(name) ? name : `${name.replace(/^paginate/, "")}Command`, where(el));
          sdk.set(el.name.text, { pkg: spec, name });
        } else if (!/(Client|Exception|Error)$/.test(name) && !/^[a-z]/.test(name)) {
          throw new Error(`${where(el)}: ${name} from ${spec} is neither a client, a command, a paginator nor an exception: the checker cannot tell which API it calls`);
        }
      }
    } else if (spec.startsWith(".")) {
      const target = resolveLocal(file, spec);
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name) localImports.set(clause.name.text, { file: target, name: "default" });
      const bindings = clause.namedBindings;
      if (bindings && !ts.isNamespaceImport(bindings) && bindings.elements.some((el) => !el.isTypeOnly && (el.propertyName ?? el.name).text === RAW_TRANSPORT)) importsRawTransport = st;
      if (bindings && ts.isNamespaceImport(bindings)) localImports.set(bindings.name.text, { file: target, name: "*" });
      else for (const el of bindings?.elements ?? []) if (!el.isTypeOnly) localImports.set(el.name.text, { file: target, name: (el.propertyName ?? el.name).text });
    }
  }

  const visit = (node: ts.Node, unit: Unit): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const imported = sdk.get(node.expression.text);
      if (imported && /Command$/.test(imported.name)) {
        const arg = node.arguments?.[0];
        const index = hasIndexName(arg);
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        unit.calls.push({ action: commandAction(imported.pkg, imported.name, where(node)), call: imported.name, file: rel(file), line, ...(index ? { index } : {}) });
      }
      unit.constructs.add(node.expression.text);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const imported = sdk.get(node.expression.text);
      if (imported && /^paginate/.test(imported.name)) {
        const command = `${imported.name.replace(/^paginate/, "")}Command`;
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        unit.calls.push({ action: commandAction(imported.pkg, command, where(node)), call: imported.name, file: rel(file), line });
      }
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isElementAccessExpression(callee) && ts.isStringLiteral(callee.argumentExpression) ? callee.argumentExpression.text : undefined;
      if (name !== undefined) unit.methodCalls.push({ name, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, index: hasIndexName(node.arguments[0]) });
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg) && arg.text.startsWith("@aws-sdk/")) throw new Error(`${where(node)}: dynamic import of ${arg.text}`);
    }
    if (ts.isIdentifier(node)) unit.names.add(node.text);
    if (ts.isPropertyAccessExpression(node)) unit.properties.add(node.name.text);
    if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression)) unit.properties.add(node.argumentExpression.text);
    ts.forEachChild(node, (child) => visit(child, unit));
  };

  const top = newUnit(TOP);
  const isExported = (n: ts.Node) => !!ts.getModifiers(n as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st)) continue;
    if (ts.isFunctionDeclaration(st) && st.name) {
      const u = newUnit(st.name.text);
      if (st.body) visit(st.body, u);
      st.parameters.forEach((p) => visit(p, u));
      if (isExported(st)) exports.set(st.name.text, u.id);
    } else if (ts.isClassDeclaration(st) && st.name) {
      const methods = new Map<string, string>();
      classes.set(st.name.text, methods);
      const prefix = awsServiceTag(st);
      if (prefix !== undefined) readClientMethods(st, prefix, clientMethods, where);
      for (const member of st.members) {
        const name = ts.isConstructorDeclaration(member) ? "constructor" : member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
        if (!name) continue;
        const u = newUnit(`${st.name.text}.${name}`);
        methods.set(name, u.id);
        visit(member, u);
      }
      if (isExported(st)) exports.set(st.name.text, `${st.name.text}.constructor`);
    } else if (ts.isVariableStatement(st)) {
      for (const decl of st.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name)) {
          visit(decl, top);
          continue;
        }
        const init = decl.initializer;
        const fn = init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init));
        const u = fn ? newUnit(decl.name.text) : top;
        if (init) visit(init, u);
        if (isExported(st)) exports.set(decl.name.text, fn ? u.id : TOP);
      }
    } else if (ts.isExportDeclaration(st)) {
      if (st.moduleSpecifier) throw new Error(`${where(st)}: re-exports are not followed; import from the defining module`);
    } else {
      visit(st, top);
    }
  }
  if (importsRawTransport && clientMethods.size === 0) {
    throw new Error(`${where(importsRawTransport)}: imports ${RAW_TRANSPORT} but declares no @awsService class: send AWS calls through a client method named as the operation`);
  }
  return { file, units, classes, localImports, exports, clientMethods };
}

/** The operation methods of an `@awsService <prefix>` class: each `this.call("<Operation>", ...)`, its method named `<operation>`. */
function readClientMethods(cls: ts.ClassDeclaration, prefix: string, into: Map<string, ClientMethod>, where: (n: ts.Node) => string): void {
  if (!IAM_PREFIXES.has(prefix)) throw new Error(`${where(cls)}: @awsService ${JSON.stringify(prefix)} is not an IAM prefix of SDK_SERVICE_PREFIXES (tools/iam-calls.ts)`);
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
    const method = member.name.text;
    const operations = new Set<string>();
    const find = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        node.expression.name.text === "call"
      ) {
        const op = node.arguments[0];
        if (!op || !ts.isStringLiteral(op)) throw new Error(`${where(node)}: ${cls.name?.text}.${method} sends a computed operation: pass its name as a string literal`);
        operations.add(op.text);
      }
      ts.forEachChild(node, find);
    };
    find(member);
    if (operations.size === 0) continue;
    const [op] = operations;
    if (operations.size > 1 || method !== op.charAt(0).toLowerCase() + op.slice(1)) {
      throw new Error(`${where(member)}: ${cls.name?.text}.${method} sends ${[...operations].join(", ")}: one operation per method, named as it (${op.charAt(0).toLowerCase() + op.slice(1)})`);
    }
    into.set(method, { action: `${prefix}:${op}`, call: `${cls.name?.text}.${method}` });
  }
}

/**
 * The AWS calls reachable from `exportName` of `entry` (default `handler`;
 * `null`: the module's top level, a program's main), each once per source position.
 */
export function sdkCallsOf(entry: string, exportName: string | null = "handler"): AwsCall[] {
  const modules = new Map<string, Module>();
  const load = (file: string): Module => {
    let m = modules.get(file);
    if (!m) {
      m = parseModule(file);
      modules.set(file, m);
    }
    return m;
  };
  const entryFile = path.resolve(PROJECT_ROOT, entry);
  const root = load(entryFile);
  const start = exportName === null ? TOP : root.exports.get(exportName);
  if (!start) throw new Error(`${rel(entryFile)}: no export named ${exportName}`);

  const seen = new Set<string>();
  const work: [Module, string][] = [
    [root, start],
    [root, TOP],
  ];
  const properties = new Set<string>();
  const enqueue = (m: Module, id: string) => {
    const key = `${m.file}#${id}`;
    if (!seen.has(key) && m.units.has(id)) {
      seen.add(key);
      work.push([m, id]);
    }
  };
  const calls: AwsCall[] = [];
  const reachMethods = () => {
    for (const m of modules.values()) for (const methods of m.classes.values()) for (const [name, id] of methods) if (properties.has(name)) enqueue(m, id);
  };
  seen.add(`${root.file}#${start}`);
  seen.add(`${root.file}#${TOP}`);
  const reached: [Module, Unit][] = [];
  while (work.length) {
    const [m, id] = work.pop()!;
    const unit = m.units.get(id)!;
    reached.push([m, unit]);
    calls.push(...unit.calls);
    const refer = (name: string) => {
      if (m.units.has(name)) enqueue(m, name);
      if (m.classes.has(name)) enqueue(m, `${name}.constructor`);
      const imp = m.localImports.get(name);
      if (imp) {
        const target = load(imp.file);
        enqueue(target, TOP);
        if (imp.name === "*" || imp.name === "default") for (const uid of target.units.keys()) enqueue(target, uid);
        else {
          const uid = target.exports.get(imp.name);
          if (uid) enqueue(target, uid);
        }
      }
    };
    unit.names.forEach(refer);
    unit.constructs.forEach(refer);
    unit.properties.forEach((p) => properties.add(p));
    reachMethods();
  }
  // Client operations: every reached `x.op(...)` for which a loaded module declares an @awsService method `op`.
  const clientMethods = [...modules.values()].flatMap((m) => [...m.clientMethods]);
  for (const [m, unit] of reached) {
    for (const site of unit.methodCalls) {
      for (const [name, method] of clientMethods) {
        if (name === site.name) calls.push({ action: method.action, call: method.call, file: rel(m.file), line: site.line, ...(site.index ? { index: true } : {}) });
      }
    }
  }
  const unique = new Map(calls.map((c) => [`${c.file}:${c.line}:${c.call}`, c]));
  return [...unique.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** `complete-lifecycle-action` -> `CompleteLifecycleAction`. */
export function kebabToPascal(s: string): string {
  return s
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

/** `aws <service> <command>` calls of a shell script (comments ignored, continuation lines joined). */
export function shellCalls(text: string, file = "user data"): AwsCall[] {
  const lines = text.split("\n");
  const calls: AwsCall[] = [];
  let fn: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const def = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{/.exec(raw);
    if (def) fn = def[1];
    else if (/^\}/.test(raw)) fn = undefined;
    const start = i + 1;
    let line = raw;
    while (/\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
    const code = line.replace(/(^|\s)#.*$/, "");
    for (const m of code.matchAll(/(?:^|[\s;|&(`$])aws\s+((?:--[a-z-]+(?:[= ]\S+)?\s+)*)([a-z0-9-]+)\s+([a-z0-9-]+)/g)) {
      const [, , service, command] = m;
      if (service === "s3") throw new Error(`${file}:${start}: "aws s3 ${command}" maps to several IAM actions; use aws s3api`);
      const prefix = CLI_SERVICE_PREFIXES[service] ?? service;
      calls.push({ action: `${prefix}:${kebabToPascal(command)}`, call: `aws ${service} ${command}`, file, line: start, shellFunction: fn });
    }
  }
  return calls;
}

/** The TypeScript entry a Dockerfile runs (`ENTRYPOINT ["node", "dist/main.js"]` + tsconfig rootDir/outDir -> `src/main.ts`). */
export function dockerEntry(dir: string): string {
  const root = path.resolve(PROJECT_ROOT, dir);
  const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
  const lines = dockerfile.split("\n").filter((l) => /^(ENTRYPOINT|CMD)\s/.test(l));
  const last = lines[lines.length - 1];
  const m = last && /\[\s*"node"\s*,\s*"([^"]+\.js)"/.exec(last);
  if (!m) throw new Error(`${dir}/Dockerfile: no ENTRYPOINT/CMD ["node", "<file>.js"]`);
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
  const outDir = path.normalize(tsconfig.compilerOptions?.outDir ?? ".");
  const rootDir = path.normalize(tsconfig.compilerOptions?.rootDir ?? ".");
  const js = path.normalize(m[1]);
  if (!js.startsWith(outDir + path.sep)) throw new Error(`${dir}/Dockerfile runs ${m[1]}, outside tsconfig outDir ${outDir}`);
  return rel(path.join(root, rootDir, js.slice(outDir.length + 1).replace(/\.js$/, ".ts")));
}

if (require.main === module) {
  const [target, exportName] = process.argv.slice(2);
  if (!target) {
    console.error("usage: iam-calls <entry.ts [export] | script.sh>");
    process.exit(2);
  }
  const calls = target.endsWith(".sh") ? shellCalls(fs.readFileSync(target, "utf8"), target) : sdkCallsOf(target, exportName);
  for (const c of calls) console.log(`${c.action.padEnd(45)} ${c.call}${c.index ? " (IndexName)" : ""}  ${c.file}:${c.line}${c.shellFunction ? ` in ${c.shellFunction}()` : ""}`);
}
