/**
 * Bashoutter GUI: vanilla TypeScript, no framework (see docs/bashoutter.md
 * for why). Talks to the API at the "API Endpoint URL": pre-filled from
 * /config.json (written by the stack or the dev server), overridable, the
 * override remembered in localStorage. The delete token of every haiku
 * posted from this browser is kept in localStorage (by item_id); Delete is
 * shown only on those haiku and sends the token (X-Delete-Token).
 *
 * The haiku are cards in a grid (one column on a phone); likes count at once
 * and roll back when the request fails; a switch sets the cards in vertical
 * writing (remembered); the form counts characters against the API's limits.
 */
import { DELETE_TOKEN_HEADER, HAIKU_LIMITS } from "../../lambdas/haiku/routes";

interface Haiku {
  item_id: string;
  username: string;
  first: string;
  second: string;
  third: string;
  likes: number;
  created_at: string;
}

type FieldId = "first" | "second" | "third" | "username";

/** The form's fields in the form's order, with the words used in messages. */
const FIELDS: readonly { id: FieldId; name: string; max: number }[] = [
  { id: "first", name: "五 (first line)", max: HAIKU_LIMITS.lineMaxLength },
  { id: "second", name: "七 (second line)", max: HAIKU_LIMITS.lineMaxLength },
  { id: "third", name: "五 (third line)", max: HAIKU_LIMITS.lineMaxLength },
  { id: "username", name: "Poet (your name)", max: HAIKU_LIMITS.usernameMaxLength },
];

const API_URL_KEY = "bashoutter.apiUrl";
/** item_id -> delete token, for the haiku posted from this browser. */
const TOKENS_KEY = "bashoutter.deleteTokens";
/** "1" when the cards are set in vertical writing. */
const VERTICAL_KEY = "bashoutter.vertical";
const PAGE_SIZE = 20;
const PLACEHOLDERS = 3;
/** Kana, CJK ideographs, half-width katakana: such a poem is marked lang="ja". */
const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
};

const apiInput = $<HTMLInputElement>("api-url");
const apiHost = $<HTMLSpanElement>("api-host");
const apiSource = $<HTMLParagraphElement>("api-source");
const endpointBox = $<HTMLDetailsElement>("endpoint");
const refreshButton = $<HTMLButtonElement>("refresh");
const listError = $<HTMLDivElement>("error");
const listErrorText = $<HTMLParagraphElement>("error-text");
const moreError = $<HTMLParagraphElement>("more-error");
const statusLine = $<HTMLParagraphElement>("status");
const form = $<HTMLFormElement>("post-form");
const formError = $<HTMLDivElement>("form-error");
const postButton = $<HTMLButtonElement>("post");
const list = $<HTMLOListElement>("haiku-list");
const empty = $<HTMLParagraphElement>("empty");
const loadMore = $<HTMLButtonElement>("load-more");
const verticalSwitch = $<HTMLInputElement>("vertical");

let configuredUrl = "";
let nextCursor: string | null = null;
/** Incremented by every load; an answer to an older load is dropped. */
let loadGeneration = 0;

// ---------------------------------------------------------------- storage

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: nothing is remembered
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage disabled or full: works for this visit only */
  }
}

function readTokens(): Record<string, string> {
  try {
    const data = JSON.parse(stored(TOKENS_KEY) ?? "{}") as unknown;
    return data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function rememberToken(itemId: string, token: string): void {
  store(TOKENS_KEY, JSON.stringify({ ...readTokens(), [itemId]: token }));
}

function forgetToken(itemId: string): void {
  const tokens = readTokens();
  delete tokens[itemId];
  store(TOKENS_KEY, JSON.stringify(tokens));
}

// ---------------------------------------------------------------- API calls and their errors

/** The request never got an answer: offline, wrong host, or refused by CORS (the browser does not say which). */
class NetworkError extends Error {}
/** An answer that is not what the Bashoutter API sends (an HTML page, another service). */
class BadResponseError extends Error {}
/** A 4xx/5xx answer; `description` is the API's own words. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly retryAfter: string | null,
  ) {
    super(`${status}: ${description}`);
  }
}
class NoEndpointError extends Error {}

function apiBase(): string {
  return apiInput.value.trim().replace(/\/+$/, "");
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const base = apiBase();
  if (!base) throw new NoEndpointError();
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new NetworkError(base);
  }
  if (!res.ok) {
    let description = res.statusText || "no description";
    try {
      const data = (await res.json()) as { description?: unknown; message?: unknown };
      const text = data.description ?? data.message;
      if (typeof text === "string" && text) description = text;
    } catch {
      /* not JSON: keep the status text */
    }
    throw new ApiError(res.status, description, res.headers.get("Retry-After"));
  }
  return res;
}

async function readJson<T>(res: Response): Promise<T> {
  try {
    return (await res.json()) as T;
  } catch {
    throw new BadResponseError(`the answer was not JSON (${res.headers.get("Content-Type") ?? "no Content-Type"})`);
  }
}

/** What to do after a 4xx, by status, for one action. */
type Hints = Partial<Record<number, string>>;

function waitText(retryAfter: string | null): string {
  const s = Number(retryAfter);
  return Number.isFinite(s) && s > 0 ? `${s} s` : "a few seconds";
}

/** One sentence of what happened and one of what to do. */
function explain(action: string, err: unknown, hints: Hints = {}): string {
  const base = apiBase();
  if (err instanceof NoEndpointError) return `${action}: no API endpoint is set. Open “API endpoint” and paste the stack's ApiEndpointUrl.`;
  if (err instanceof NetworkError) {
    return `${action}: could not reach the API at ${hostOf(base)} (offline, a wrong endpoint URL, or an API that does not allow this site - CORS). Check your connection and the API endpoint, then try again.`;
  }
  if (err instanceof BadResponseError) return `${action}: ${hostOf(base)} did not answer like the Bashoutter API (${err.message}). Check the API endpoint URL.`;
  if (err instanceof ApiError) {
    if (err.status === 429) return `Slow down: too many requests in a short time, so the API did not take this one (429). Wait ${waitText(err.retryAfter)}, then try again.`;
    if (err.status === 503) return `${action}: the API is busy (${err.description}). Wait ${waitText(err.retryAfter)}, then try again.`;
    if (err.status >= 500) return `${action}: the API failed (${err.status}: ${err.description}). Try again in a moment; if it keeps failing, the API's logs say why.`;
    const hint = hints[err.status] ?? (err.status === 404 ? "Check the API endpoint URL, or refresh the list." : "Correct it and try again.");
    return `${action}: the API refused it (${err.status}: ${err.description}). ${hint}`;
  }
  return `${action}: ${(err as Error)?.message ?? String(err)}`;
}

/** Loading errors: under the list's heading (first page) or above "Load more" (next pages). */
function showListError(more: boolean, message: string): void {
  if (more) {
    moreError.textContent = message;
    moreError.hidden = false;
  } else {
    listError.hidden = false;
    listErrorText.textContent = message;
  }
}

function clearListErrors(): void {
  listError.hidden = true;
  listErrorText.textContent = "";
  moreError.hidden = true;
  moreError.textContent = "";
}

/** Like and delete errors: in the card itself, where the reader is looking. */
function showCardError(li: HTMLLIElement, message: string): void {
  let box = li.querySelector<HTMLParagraphElement>(".card-error");
  if (!box) {
    box = el("p", "error card-error");
    box.setAttribute("role", "alert");
    li.append(box);
  }
  box.textContent = message;
}

function clearCardError(li: HTMLLIElement): void {
  li.querySelector(".card-error")?.remove();
}

function status(message: string): void {
  statusLine.textContent = message;
}

// ---------------------------------------------------------------- cards

/** The browser's locale, 24-hour, no seconds: 2026/12/01 06:38 in ja-JP, 01/12/2026, 06:38 in en-GB. */
const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DATE_FORMAT.format(d);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderHaiku(h: Haiku): HTMLLIElement {
  const li = el("li", "haiku");
  li.dataset.itemId = h.item_id;

  const lines = el("p", "lines");
  for (const text of [h.first, h.second, h.third]) lines.append(el("span", "", text));
  if (JAPANESE.test(h.first + h.second + h.third)) lines.lang = "ja";
  // Vertical writing sizes the columns to the longest line.
  lines.style.setProperty("--chars", String(Math.max(...[h.first, h.second, h.third].map(chars))));

  const author = el("p", "author", `— ${h.username}`);
  const meta = el("div", "meta");
  const time = el("time", "", formatDate(h.created_at));
  time.dateTime = h.created_at;
  // The buttons wrap together (below the date) when the card is too narrow, never one by one.
  const actions = el("span", "actions");
  actions.append(likeButton(h, li));
  const token = readTokens()[h.item_id];
  // Only haiku posted from this browser (their delete token is here) can be deleted.
  if (token !== undefined) actions.append(deleteButton(h, li, token));
  meta.append(time, actions);
  li.append(lines, author, meta);
  return li;
}

/**
 * ♥ and the count. The count goes up at once; the API's answer (the new total) corrects
 * it, a failure takes the like back. Several clicks in flight add up.
 */
function likeButton(h: Haiku, li: HTMLLIElement): HTMLButtonElement {
  const button = el("button", "like");
  button.type = "button";
  const count = el("span", "likes");
  button.append(el("span", "heart", "♥"), count);
  let confirmed = h.likes;
  let pending = 0;
  let liked = false;
  const show = (): void => {
    const n = confirmed + pending;
    count.textContent = String(n);
    button.setAttribute("aria-label", `Like the haiku by ${h.username} (${n} ${n === 1 ? "like" : "likes"})`);
  };
  show();
  button.addEventListener("click", async () => {
    clearCardError(li);
    pending++;
    show();
    button.classList.add("liked");
    try {
      const res = await request("PATCH", `/haiku/${encodeURIComponent(h.item_id)}`);
      const data = await readJson<{ likes?: unknown }>(res);
      // The new total; likes of others in between are included, clicks still in flight are not.
      confirmed = typeof data.likes === "number" ? Math.max(confirmed, data.likes) : confirmed + 1;
      liked = true;
    } catch (err) {
      showCardError(li, explain("Could not like the haiku", err, { 404: "It has been deleted: refresh the list." }));
      if (!liked) button.classList.remove("liked");
    } finally {
      pending--;
      show();
    }
  });
  return button;
}

function deleteButton(h: Haiku, li: HTMLLIElement, token: string): HTMLButtonElement {
  const button = el("button", "delete", "Delete");
  button.type = "button";
  button.setAttribute("aria-label", `Delete the haiku by ${h.username}`);
  button.addEventListener("click", async () => {
    clearCardError(li);
    button.disabled = true;
    button.textContent = "Deleting…";
    try {
      await request("DELETE", `/haiku/${encodeURIComponent(h.item_id)}`, undefined, { [DELETE_TOKEN_HEADER]: token });
      removeCard(li, h.item_id, "Deleted.");
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        removeCard(li, h.item_id, "Already deleted.");
        return;
      }
      showCardError(
        li,
        explain("Could not delete the haiku", err, {
          401: "This browser no longer has its delete token; only an admin can delete it now.",
          403: "This browser's delete token does not match; only an admin can delete it now.",
        }),
      );
      button.disabled = false;
      button.textContent = "Delete";
    }
  });
  return button;
}

function removeCard(li: HTMLLIElement, itemId: string, message: string): void {
  forgetToken(itemId);
  // Keep the keyboard user in the list: focus moves to the next card's like button.
  const next = (li.nextElementSibling ?? li.previousElementSibling)?.querySelector<HTMLButtonElement>("button.like");
  li.remove();
  next?.focus();
  empty.hidden = cardCount() > 0;
  status(message);
}

function cardCount(): number {
  return list.querySelectorAll("li.haiku").length;
}

function showPlaceholders(): void {
  const items: HTMLLIElement[] = [];
  for (let i = 0; i < PLACEHOLDERS; i++) {
    const li = el("li", "placeholder");
    li.setAttribute("aria-hidden", "true");
    li.append(el("i", ""), el("i", ""), el("i", ""));
    items.push(li);
  }
  list.replaceChildren(...items);
}

// ---------------------------------------------------------------- loading

/** Loads the first page (replacing the list) or the next one (appending). */
async function load(more: boolean): Promise<void> {
  const generation = ++loadGeneration;
  clearListErrors();
  const button = more ? loadMore : refreshButton;
  button.disabled = true;
  if (more) loadMore.textContent = "Loading…";
  // First load: placeholders the size of cards. Refresh: the old cards stay until the new ones arrive.
  if (!more && cardCount() === 0) {
    showPlaceholders();
    empty.hidden = true;
  }
  list.setAttribute("aria-busy", "true");
  status("Loading…");
  try {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (more && nextCursor) query.set("cursor", nextCursor);
    const res = await request("GET", `/haiku?${query}`);
    const items = await readJson<unknown>(res);
    if (!Array.isArray(items)) throw new BadResponseError("expected a JSON array of haiku");
    if (generation !== loadGeneration) return;
    const cards = (items as Haiku[]).map(renderHaiku);
    if (more) {
      // A haiku posted here was already put on top; its page may come later.
      const shown = new Set(Array.from(list.querySelectorAll<HTMLLIElement>("li.haiku"), (li) => li.dataset.itemId));
      list.append(...cards.filter((li) => !shown.has(li.dataset.itemId)));
    } else {
      list.replaceChildren(...cards);
    }
    nextCursor = res.headers.get("X-Next-Cursor");
    loadMore.hidden = !nextCursor;
    empty.hidden = cardCount() > 0;
    const n = cardCount();
    status(`${n} haiku${nextCursor ? ", more below" : ""}`);
  } catch (err) {
    if (generation !== loadGeneration) return;
    list.querySelectorAll("li.placeholder").forEach((p) => p.remove());
    empty.hidden = true;
    showListError(more, explain("Could not load the haiku", err));
    if (err instanceof NetworkError || err instanceof BadResponseError || (err instanceof ApiError && err.status === 404)) endpointBox.open = true;
    status("Not loaded.");
  } finally {
    if (generation === loadGeneration) {
      list.setAttribute("aria-busy", "false");
      button.disabled = false;
      loadMore.textContent = "Load more";
    }
  }
}

// ---------------------------------------------------------------- posting

function input(id: FieldId): HTMLInputElement {
  return form.elements.namedItem(id) as HTMLInputElement;
}

/** Characters as the API counts them (code points, before trimming). */
function chars(value: string): number {
  return [...value].length;
}

function updateCount(field: (typeof FIELDS)[number]): void {
  const n = chars(input(field.id).value);
  const count = $<HTMLSpanElement>(`${field.id}-count`);
  count.textContent = `${n} / ${field.max}`;
  count.classList.toggle("over", n > field.max);
}

function showFormError(message: string, invalid: readonly FieldId[]): void {
  for (const f of FIELDS) {
    if (invalid.includes(f.id)) input(f.id).setAttribute("aria-invalid", "true");
    else input(f.id).removeAttribute("aria-invalid");
  }
  formError.textContent = message;
  formError.hidden = false;
  if (invalid.length) input(invalid[0]).focus();
}

function clearFormError(): void {
  formError.hidden = true;
  formError.textContent = "";
  for (const f of FIELDS) input(f.id).removeAttribute("aria-invalid");
}

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

for (const field of FIELDS) {
  updateCount(field);
  input(field.id).addEventListener("input", () => {
    updateCount(field);
    input(field.id).removeAttribute("aria-invalid");
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearFormError();
  const missing = FIELDS.filter((f) => !input(f.id).value.trim());
  if (missing.length) {
    showFormError(`Please fill in ${listText(missing.map((f) => f.name))}.`, missing.map((f) => f.id));
    return;
  }
  const tooLong = FIELDS.filter((f) => chars(input(f.id).value) > f.max);
  if (tooLong.length) {
    const parts = tooLong.map((f) => `${f.name} has ${chars(input(f.id).value)} characters (at most ${f.max})`);
    showFormError(`Too long: ${listText(parts)}. Shorten it and post again.`, tooLong.map((f) => f.id));
    return;
  }
  const body = Object.fromEntries(FIELDS.map((f) => [f.id, input(f.id).value.trim()])) as Record<FieldId, string>;
  postButton.disabled = true;
  postButton.textContent = "Posting…";
  form.setAttribute("aria-busy", "true");
  try {
    const res = await request("POST", "/haiku", body);
    const data = await readJson<{ description?: string; item_id?: string; delete_token?: string }>(res);
    if (data.item_id && data.delete_token) rememberToken(data.item_id, data.delete_token);
    if (data.item_id) {
      // On top at once, no reload: the API lists pages in table order, so its page may come later.
      const card = renderHaiku({ ...body, item_id: data.item_id, likes: 0, created_at: new Date().toISOString() });
      card.classList.add("new");
      list.querySelector(`li.haiku[data-item-id="${CSS.escape(data.item_id)}"]`)?.remove();
      list.querySelectorAll("li.placeholder").forEach((p) => p.remove());
      list.prepend(card);
      empty.hidden = true;
    }
    form.reset();
    FIELDS.forEach(updateCount);
    status(data.description ?? "Posted.");
  } catch (err) {
    // What was typed stays in the form.
    const field = err instanceof ApiError && err.status === 400 ? FIELDS.find((f) => err.description.startsWith(`${f.id} `)) : undefined;
    showFormError(explain("Could not post the haiku", err, { 400: "Correct it and post again." }), field ? [field.id] : []);
    if (err instanceof NetworkError || err instanceof NoEndpointError) endpointBox.open = true;
  } finally {
    postButton.disabled = false;
    postButton.textContent = "Post";
    form.removeAttribute("aria-busy");
  }
});

// ---------------------------------------------------------------- endpoint, vertical writing, start

function describeEndpoint(remembered: boolean): void {
  apiHost.textContent = apiBase() ? hostOf(apiBase()) : "not set";
  apiSource.textContent = remembered
    ? "Using your URL (remembered in this browser). Clear the box to use the site's default."
    : configuredUrl
      ? "Using the URL this site was deployed with."
      : "Paste the API endpoint URL (the stack's ApiEndpointUrl output).";
}

/** The endpoint the list was last loaded from: a second change event for the same value does nothing. */
let appliedUrl = "";

apiInput.addEventListener("change", () => {
  const value = apiBase();
  if (value === appliedUrl) return;
  if (value && value !== configuredUrl) {
    store(API_URL_KEY, value);
    describeEndpoint(true);
  } else {
    store(API_URL_KEY, null);
    apiInput.value = configuredUrl;
    describeEndpoint(false);
  }
  appliedUrl = apiBase();
  list.replaceChildren();
  if (apiBase()) void load(false);
});

function setVertical(on: boolean): void {
  verticalSwitch.checked = on;
  list.classList.toggle("vertical", on);
}

verticalSwitch.addEventListener("change", () => {
  setVertical(verticalSwitch.checked);
  store(VERTICAL_KEY, verticalSwitch.checked ? "1" : null);
});

refreshButton.addEventListener("click", () => void load(false));
loadMore.addEventListener("click", () => void load(true));
$<HTMLButtonElement>("error-close").addEventListener("click", () => {
  listError.hidden = true;
  refreshButton.focus();
});

async function init(): Promise<void> {
  setVertical(stored(VERTICAL_KEY) === "1");
  showPlaceholders();
  try {
    const res = await fetch("config.json", { cache: "no-cache" });
    if (res.ok) configuredUrl = String(((await res.json()) as { apiUrl?: string }).apiUrl ?? "").replace(/\/+$/, "");
  } catch {
    /* no config.json (opened from disk): the user types the URL */
  }
  const remembered = stored(API_URL_KEY);
  apiInput.value = remembered ?? configuredUrl;
  describeEndpoint(remembered !== null);
  appliedUrl = apiBase();
  if (apiBase()) {
    await load(false);
  } else {
    list.replaceChildren();
    endpointBox.open = true;
    status("No API endpoint set.");
  }
}

void init();
