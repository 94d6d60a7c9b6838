/**
 * A stub AWS endpoint on 127.0.0.1 for the lambdas/lib/aws tests: it
 * records every request as it arrived on the wire (headers, raw body, the
 * form parameters of a Query call) and answers from a responder, so tests
 * assert the exact bytes the client sends and feed it real AWS responses
 * (XML, JSON, errors, dropped connections, silence).
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The form parameters, in order (Query protocol bodies). */
  readonly form: Record<string, string>;
  /** The socket's remote port: the same port twice means a reused keep-alive connection. */
  readonly remotePort: number;
}

export type StubReply =
  | { readonly status?: number; readonly body: string; readonly headers?: Record<string, string> }
  /** Close the connection without answering (a network error for the client). */
  | { readonly drop: true }
  /** Never answer (a timeout for the client). */
  | { readonly hang: true };

export interface StubServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: StubRequest[];
  respond: (req: StubRequest) => StubReply;
  close(): Promise<void>;
}

export async function startStub(respond: (req: StubRequest) => StubReply = () => ({ body: "" })): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const stub: StubServer = { url: "", requests, respond, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const isForm = String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
      const form = isForm ? Object.fromEntries(new URLSearchParams(body)) : {};
      const recorded: StubRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, form, remotePort: req.socket.remotePort ?? 0 };
      requests.push(recorded);
      const reply = stub.respond(recorded);
      if ("drop" in reply) {
        req.socket.destroy();
        return;
      }
      if ("hang" in reply) return;
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  (stub as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return stub;
}

/** A Query-protocol error body, as Auto Scaling sends it. */
export function queryErrorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-${code}</RequestId></ErrorResponse>`;
}

/** A Query-protocol success body: `<ActionResponse><ActionResult>inner</ActionResult>...`. */
export function queryResultXml(action: string, inner = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">\n  <${action}Result>${inner}</${action}Result>\n  <ResponseMetadata><RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId></ResponseMetadata>\n</${action}Response>`;
}

/**
 * Replies per Query `Action`, like aws-sdk-client-mock's `on(Command)`: a queue of
 * one-time replies, then a default. Unknown actions get a 400 InvalidAction.
 */
export class QueryResponder {
  private readonly replies = new Map<string, { once: StubReply[]; always?: StubReply }>();

  on(action: string) {
    const entry = this.replies.get(action) ?? { once: [] };
    this.replies.set(action, entry);
    const api = {
      replies: (reply: StubReply) => ((entry.always = reply), api),
      repliesOnce: (reply: StubReply) => (entry.once.push(reply), api),
      fails: (code: string, message: string, status = 400) => api.replies({ status, body: queryErrorXml(code, message) }),
      failsOnce: (code: string, message: string, status = 400) => api.repliesOnce({ status, body: queryErrorXml(code, message) }),
    };
    return api;
  }

  reset(): void {
    this.replies.clear();
  }

  readonly respond = (req: StubRequest): StubReply => {
    const entry = this.replies.get(req.form.Action ?? "");
    const reply = entry?.once.shift() ?? entry?.always;
    return reply ?? { status: 400, body: queryErrorXml("InvalidAction", `no reply for ${req.form.Action}`) };
  };
}
