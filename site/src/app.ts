/**
 * Bashoutter GUI: vanilla TypeScript, no framework (see docs/bashoutter.md
 * for why). Talks to the API at the "API Endpoint URL": pre-filled from
 * /config.json (written by the stack or the dev server), overridable, the
 * override remembered in localStorage. The delete token of every haiku
 * posted from this browser is kept in localStorage (by item_id); Delete is
 * shown only on those haiku and sends the token (X-Delete-Token).
 */

export {};

interface Haiku {
  item_id: string;
  username: string;
  first: string;
  second: string;
  third: string;
  likes: number;
  created_at: string;
}

const STORAGE_KEY = "bashoutter.apiUrl";
/** item_id -> delete token, for the haiku posted from this browser. */
const TOKENS_KEY = "bashoutter.deleteTokens";
const DELETE_TOKEN_HEADER = "X-Delete-Token";
const PAGE_SIZE = 20;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
};

const apiInput = $<HTMLInputElement>("api-url");
const apiSource = $<HTMLParagraphElement>("api-source");
const refreshButton = $<HTMLButtonElement>("refresh");
const errorBox = $<HTMLDivElement>("error");
const statusLine = $<HTMLParagraphElement>("status");
const form = $<HTMLFormElement>("post-form");
const postButton = $<HTMLButtonElement>("post");
const list = $<HTMLOListElement>("haiku-list");
const empty = $<HTMLParagraphElement>("empty");
const loadMore = $<HTMLButtonElement>("load-more");

let configuredUrl = "";
let nextCursor: string | null = null;

function apiBase(): string {
  return apiInput.value.trim().replace(/\/+$/, "");
}

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function clearError(): void {
  errorBox.textContent = "";
  errorBox.hidden = true;
}

function readTokens(): Record<string, string> {
  try {
    const data = JSON.parse(localStorage.getItem(TOKENS_KEY) ?? "{}") as unknown;
    return data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function rememberToken(itemId: string, token: string): void {
  localStorage.setItem(TOKENS_KEY, JSON.stringify({ ...readTokens(), [itemId]: token }));
}

function forgetToken(itemId: string): void {
  const tokens = readTokens();
  delete tokens[itemId];
  localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
}

function status(message: string): void {
  statusLine.textContent = message;
}

/** Calls the API; throws an Error with the API's `description` (or the network failure) on failure. */
async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const base = apiBase();
  if (!base) throw new Error("Enter the API Endpoint URL first.");
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`Cannot reach ${base} (network error or CORS). Check the API Endpoint URL.`);
  }
  if (!res.ok) {
    let description = `${res.status} ${res.statusText}`;
    try {
      const data = (await res.json()) as { description?: string; message?: string };
      description = `${res.status}: ${data.description ?? data.message ?? description}`;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new Error(description);
  }
  return res;
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function renderHaiku(h: Haiku): HTMLLIElement {
  const li = document.createElement("li");
  li.className = "haiku";
  li.dataset.itemId = h.item_id;

  const lines = document.createElement("p");
  lines.className = "lines";
  for (const text of [h.first, h.second, h.third]) {
    const span = document.createElement("span");
    span.textContent = text;
    lines.append(span);
  }

  const meta = document.createElement("div");
  meta.className = "meta";
  const author = document.createElement("span");
  author.className = "author";
  author.textContent = `— ${h.username}`;
  const time = document.createElement("time");
  time.dateTime = h.created_at;
  time.textContent = formatDate(h.created_at);
  const spacer = document.createElement("span");
  spacer.className = "spacer";

  const like = document.createElement("button");
  like.type = "button";
  like.className = "like";
  like.setAttribute("aria-label", `Like the haiku by ${h.username} (${h.likes} likes)`);
  const likes = document.createElement("span");
  likes.className = "likes";
  likes.textContent = String(h.likes);
  like.append("♥ ", likes);
  like.addEventListener("click", async () => {
    like.disabled = true;
    clearError();
    try {
      const res = await request("PATCH", `/haiku/${encodeURIComponent(h.item_id)}`);
      const data = (await res.json()) as { likes: number };
      likes.textContent = String(data.likes);
      like.setAttribute("aria-label", `Like the haiku by ${h.username} (${data.likes} likes)`);
    } catch (err) {
      showError((err as Error).message);
    } finally {
      like.disabled = false;
    }
  });

  meta.append(author, time, spacer, like);
  li.append(lines, meta);
  const token = readTokens()[h.item_id];
  if (token === undefined) return li;

  // Only haiku posted from this browser (their delete token is here) can be deleted.
  const del = document.createElement("button");
  del.type = "button";
  del.className = "delete";
  del.textContent = "Delete";
  del.setAttribute("aria-label", `Delete the haiku by ${h.username}`);
  del.addEventListener("click", async () => {
    del.disabled = true;
    clearError();
    try {
      await request("DELETE", `/haiku/${encodeURIComponent(h.item_id)}`, undefined, { [DELETE_TOKEN_HEADER]: token });
      forgetToken(h.item_id);
      li.remove();
      empty.hidden = list.children.length > 0;
      status("Deleted.");
    } catch (err) {
      showError((err as Error).message);
      del.disabled = false;
    }
  });

  meta.append(del);
  return li;
}

/** Loads the first page (replace) or the next one (append). */
async function load(more: boolean): Promise<void> {
  clearError();
  const button = more ? loadMore : refreshButton;
  button.disabled = true;
  status("Loading…");
  try {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (more && nextCursor) query.set("cursor", nextCursor);
    const res = await request("GET", `/haiku?${query}`);
    const items = (await res.json()) as Haiku[];
    if (!more) list.replaceChildren();
    for (const h of items) list.append(renderHaiku(h));
    nextCursor = res.headers.get("X-Next-Cursor");
    loadMore.hidden = !nextCursor;
    empty.hidden = list.children.length > 0;
    status(`${list.children.length} haiku shown.`);
  } catch (err) {
    showError((err as Error).message);
    status("");
  } finally {
    button.disabled = false;
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError();
  const data = new FormData(form);
  const body = {
    username: String(data.get("username") ?? "").trim(),
    first: String(data.get("first") ?? "").trim(),
    second: String(data.get("second") ?? "").trim(),
    third: String(data.get("third") ?? "").trim(),
  };
  const missing = (Object.keys(body) as (keyof typeof body)[]).filter((k) => !body[k]);
  if (missing.length) {
    showError(`Please fill in: ${missing.map((k) => form.querySelector(`label[for=${k}]`)?.textContent ?? k).join(", ")}.`);
    return;
  }
  postButton.disabled = true;
  try {
    const res = await request("POST", "/haiku", body);
    const data = (await res.json()) as { description?: string; item_id?: string; delete_token?: string };
    if (data.item_id && data.delete_token) rememberToken(data.item_id, data.delete_token);
    form.reset();
    await load(false);
    // Pages come in table order (docs/bashoutter.md), so the new haiku may be on a later
    // page: show it on top anyway, so the poster sees it (and its Delete button).
    if (data.item_id && !list.querySelector(`li[data-item-id="${CSS.escape(data.item_id)}"]`)) {
      list.prepend(renderHaiku({ ...body, item_id: data.item_id, likes: 0, created_at: new Date().toISOString() }));
      empty.hidden = true;
    }
    status(data.description ?? "Posted.");
  } catch (err) {
    showError((err as Error).message);
  } finally {
    postButton.disabled = false;
  }
});

apiInput.addEventListener("change", () => {
  const value = apiBase();
  if (value && value !== configuredUrl) {
    localStorage.setItem(STORAGE_KEY, value);
    apiSource.textContent = "Using your URL (remembered in this browser). Clear the box to use the site's default.";
  } else {
    localStorage.removeItem(STORAGE_KEY);
    apiInput.value = configuredUrl;
    apiSource.textContent = configuredUrl ? "Using the URL this site was deployed with." : "";
  }
});

refreshButton.addEventListener("click", () => void load(false));
loadMore.addEventListener("click", () => void load(true));

async function init(): Promise<void> {
  try {
    const res = await fetch("config.json", { cache: "no-cache" });
    if (res.ok) configuredUrl = String(((await res.json()) as { apiUrl?: string }).apiUrl ?? "").replace(/\/+$/, "");
  } catch {
    /* no config.json (opened from disk): the user types the URL */
  }
  const remembered = localStorage.getItem(STORAGE_KEY);
  apiInput.value = remembered ?? configuredUrl;
  apiSource.textContent = remembered
    ? "Using your URL (remembered in this browser). Clear the box to use the site's default."
    : configuredUrl
      ? "Using the URL this site was deployed with."
      : "Paste the API endpoint URL (the stack's ApiEndpointUrl output).";
  if (apiBase()) await load(false);
}

void init();
