/**
 * The haiku GUI in headless Chromium against the dev server, at 390 px and 1280 px.
 * Flows: post (counts, missing fields in form order, API errors keep the
 * input, new haiku on top without a reload), like (optimistic, rolled back on
 * 429/network errors), delete (only this browser's haiku, with its token),
 * errors that say what to do, and "Load more" following X-Next-Cursor.
 * Layout and accessibility: grid columns, no horizontal scroll, inputs fully
 * visible, 44 px targets, large serif type, vertical writing (remembered),
 * placeholders with no layout shift, dates in the browser's locale; labels,
 * accessible names, contrast computed from the computed styles, focus order
 * and focus indicators, alt texts, headings.
 *
 * One browser, one dev server and one page per width serve every test (a
 * context with its renderer costs ~0.25 s of CPU, a load of the site ~0.2 s):
 * each test empties or seeds the table through the API, resets the page's
 * localStorage (resetPage) and loads the site once.
 * Screenshots: test-artifacts/screenshots/.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import type { Page, Request, Response } from "playwright-core";
import { Gui, NewHaiku, PAGE_LOCALE, ViewportName, clearHaiku, fillForm, gate, listAll, openPage, postHaiku, resetPage, screenshot, startGui } from "./gui-harness";
import { contrastReport, expectNoOverflow, layoutReport } from "./gui-checks";

let gui: Gui;

beforeAll(async () => {
  gui = await startGui();
}, 60000);

afterAll(async () => {
  await gui?.close();
});

/** The page of each width (ja-JP, Asia/Tokyo), opened by the first test at that width; its page errors since the test began. */
const tabs: Partial<Record<ViewportName, { page: Page; errors: string[] }>> = {};
async function tabAt(viewport: ViewportName): Promise<{ page: Page; errors: string[] }> {
  const tab = (tabs[viewport] ??= await openPage(gui, viewport));
  tab.errors.length = 0;
  return tab;
}

const cards = (page: Page) => page.locator("li.haiku");

/** URLs of the requests that match, from now until stop(). */
function record(page: Page, match: (r: Request) => boolean): { urls: string[]; stop: () => void } {
  const urls: string[] = [];
  const listener = (r: Request) => {
    if (match(r)) urls.push(r.url());
  };
  page.on("request", listener);
  return { urls, stop: () => page.off("request", listener) };
}

const alertText = async (page: Page) => (await page.locator("#error-text").textContent()) ?? "";

// ---------------------------------------------------------------- flows: each test from an empty table

describe.each<ViewportName>(["phone", "desktop"])("flows at the %s width", (viewport) => {
  let page: Page;
  let errors: string[];

  beforeEach(async () => {
    ({ page, errors } = await tabAt(viewport));
    await clearHaiku(gui.server);
    await resetPage(gui, page);
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  test("posts a haiku: live counts, on top at once without a reload, liked, then deleted with its token", async () => {
    // GIVEN two haiku by others, and the page pre-filled with the API URL from /config.json
    await postHaiku(gui.server, { username: "issa", first: "yare utsu na", second: "hae ga te wo suru", third: "ashi wo suru" });
    await postHaiku(gui.server, { username: "buson", first: "haru no umi", second: "hinemosu notari", third: "notari kana" });
    await page.goto(`${gui.server.url}/`);
    await page.locator("summary").click();
    expect(await page.getByLabel("API Endpoint URL").inputValue()).toBe(gui.server.apiUrl);
    await page.locator("summary").click();
    await page.waitForFunction(() => document.querySelectorAll("li.haiku").length === 2);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // WHEN a haiku is typed, THEN the counts follow in characters (code points) against the API's limits
    await fillForm(page, { first: "古池や🐸", second: "kawazu tobikomu", third: "mizu no oto", username: "basho" });
    expect(await page.locator("#first-count").textContent()).toBe("4 / 64");
    expect(await page.locator("#second-count").textContent()).toBe("15 / 64");
    expect(await page.locator("#username-count").textContent()).toBe("5 / 32");

    // WHEN it is posted, THEN it is the first card at once, the page was not reloaded, the form is empty again
    const gets = record(page, (r) => r.method() === "GET" && r.url().includes("/api/haiku"));
    await page.getByRole("button", { name: "Post" }).click();
    const item = cards(page).filter({ hasText: "kawazu tobikomu" });
    await item.waitFor();
    expect(await cards(page).first().textContent()).toContain("kawazu tobikomu");
    expect(await cards(page).count()).toBe(3);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    gets.stop();
    expect(gets.urls).toEqual([]);
    expect(await page.getByLabel("First line").inputValue()).toBe("");
    expect(await page.locator("#first-count").textContent()).toBe("0 / 64");
    expect(await item.locator(".author").textContent()).toBe("— basho");
    expect(await item.locator(".lines").getAttribute("lang")).toBe("ja");
    expect(await item.locator(".likes").textContent()).toBe("0");
    expect(await page.getByRole("button", { name: "Load more" }).isVisible()).toBe(false);

    // AND this browser kept its delete token (only for it)
    const itemId = (await item.getAttribute("data-item-id"))!;
    const tokens = await page.evaluate(() => JSON.parse(localStorage.getItem("bashoutter.deleteTokens") ?? "{}"));
    expect(Object.keys(tokens)).toEqual([itemId]);
    expect(tokens[itemId]).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // WHEN it is liked, THEN the count is 1, and still 1 after a refresh (the API stored it)
    await item.getByRole("button", { name: /Like the haiku by basho/ }).click();
    await page.waitForFunction(() => document.querySelector("li.haiku .likes")?.textContent === "1");
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll("li.haiku")).some((li) => li.textContent!.includes("kawazu") && li.querySelector(".likes")!.textContent === "1"));
    expect((await listAll(gui.server)).find((h) => h.item_id === itemId)?.likes).toBe(1);
    await screenshot(page, `flow-${viewport}-posted`);

    // WHEN it is deleted, THEN the token was sent, and it is gone from the page, the API and the browser's tokens
    const deleteRequest = page.waitForRequest((r) => r.method() === "DELETE");
    await item.getByRole("button", { name: /Delete the haiku by basho/ }).click();
    expect((await deleteRequest).headers()["x-delete-token"]).toBe(tokens[itemId]);
    await item.waitFor({ state: "detached" });
    expect(await cards(page).count()).toBe(2);
    expect((await listAll(gui.server)).map((h) => h.item_id)).not.toContain(itemId);
    expect(await page.evaluate(() => localStorage.getItem("bashoutter.deleteTokens"))).toBe("{}");
  }, 60000);

  test("names the missing fields in the form's order, refuses too long lines, keeps what was typed on an API error", async () => {
    await page.goto(`${gui.server.url}/`);
    await page.getByText("No haiku yet").waitFor();
    const posts = record(page, (r) => r.method() === "POST");
    const formAlert = page.locator("#post-form").getByRole("alert");

    // WHEN only the second line and the name are filled, THEN the first and third lines are named, in that order
    await fillForm(page, { second: "kawazu tobikomu", username: "basho" });
    await page.getByRole("button", { name: "Post" }).click();
    expect(await formAlert.textContent()).toBe("Please fill in 五 (first line) and 五 (third line).");
    expect(await page.getByLabel("First line").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Third line").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Second line").getAttribute("aria-invalid")).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("first");
    expect(await page.getByLabel("Second line").inputValue()).toBe("kawazu tobikomu");

    // WHEN everything is empty, THEN all four are named in the form's order (the name last)
    await fillForm(page, { second: "", username: "" });
    await page.getByRole("button", { name: "Post" }).click();
    expect(await formAlert.textContent()).toBe("Please fill in 五 (first line), 七 (second line), 五 (third line) and Poet (your name).");

    // WHEN a line is longer than the API allows, THEN the count says so and nothing is sent
    await fillForm(page, { first: "x".repeat(65), second: "b", third: "c", username: "basho" });
    expect(await page.locator("#first-count").textContent()).toBe("65 / 64");
    expect(await page.locator("#first-count").getAttribute("class")).toContain("over");
    await page.getByRole("button", { name: "Post" }).click();
    expect(await formAlert.textContent()).toBe("Too long: 五 (first line) has 65 characters (at most 64). Shorten it and post again.");
    expect(posts.urls).toEqual([]);

    // WHEN the API refuses the haiku (a line of only a zero-width space), THEN its description is shown, the input kept
    await fillForm(page, { first: "\u200b" });
    await page.getByRole("button", { name: "Post" }).click();
    await page.waitForFunction(() => /visible character/.test(document.querySelector("#form-error")?.textContent ?? ""));
    expect(await formAlert.textContent()).toBe(
      "Could not post the haiku: the API refused it (400: first must contain at least one visible character (got only invisible ones)). Correct it and post again.",
    );
    expect(posts.urls).toHaveLength(1);
    expect(await page.getByLabel("First line").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Second line").inputValue()).toBe("b");
    expect(await page.getByLabel("your name").inputValue()).toBe("basho");
    expect(await page.getByRole("button", { name: "Post" }).isEnabled()).toBe(true);
    await screenshot(page, `flow-${viewport}-form-error`);

    // WHEN it is corrected, THEN it posts and the error goes away
    await fillForm(page, { first: "a" });
    await page.getByRole("button", { name: "Post" }).click();
    await cards(page).first().waitFor();
    expect(await formAlert.isVisible()).toBe(false);
    posts.stop();
  }, 60000);

  test("shows Delete only on the haiku posted from this browser, also after a reload", async () => {
    await postHaiku(gui.server, { username: "issa", first: "yare utsu na", second: "hae ga te wo suru", third: "ashi wo suru" });
    await page.goto(`${gui.server.url}/`);
    await cards(page).first().waitFor();
    await fillForm(page, { first: "shizukasa ya", second: "iwa ni shimiiru", third: "semi no koe", username: "basho" });
    await page.getByRole("button", { name: "Post" }).click();
    const mine = cards(page).filter({ hasText: "semi no koe" });
    const theirs = cards(page).filter({ hasText: "hae ga te wo suru" });
    await mine.waitFor();
    const expectDeleteOnMineOnly = async () => {
      expect(await mine.getByRole("button", { name: /Delete/ }).count()).toBe(1);
      expect(await theirs.getByRole("button", { name: /Delete/ }).count()).toBe(0);
      expect(await theirs.getByRole("button", { name: /Like/ }).count()).toBe(1);
      // Delete sits on the same row as the heart (it used to wrap onto its own line at 390 px)
      const like = (await mine.locator("button.like").boundingBox())!;
      const del = (await mine.locator("button.delete").boundingBox())!;
      expect(Math.abs(like.y - del.y)).toBeLessThan(2);
    };
    await expectDeleteOnMineOnly();
    // AND after a reload (the token read back from localStorage)
    await page.reload();
    await mine.waitFor();
    await expectDeleteOnMineOnly();
  }, 60000);
});

describe("feedback at the phone width", () => {
  let page: Page;
  let errors: string[];

  beforeEach(async () => {
    ({ page, errors } = await tabAt("phone"));
    await clearHaiku(gui.server);
    await resetPage(gui, page);
  });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });

  test("counts a like at once and takes it back when the API says slow down (429) or cannot be reached", async () => {
    await postHaiku(gui.server, { username: "issa", first: "a", second: "b", third: "c" });
    await page.goto(`${gui.server.url}/`);
    const likes = page.locator("li.haiku .likes");
    await likes.waitFor();
    expect(await likes.textContent()).toBe("0");

    // GIVEN the API answers the like with 429 (held until the test has looked)
    const held = gate();
    await page.route("**/api/haiku/*", async (route) => {
      if (route.request().method() !== "PATCH") return route.fallback();
      await held.wait;
      await route.fulfill({
        status: 429,
        headers: { "Content-Type": "application/json", "Retry-After": "3", "Access-Control-Allow-Origin": "*" },
        body: JSON.stringify({ description: "Too many requests: at most 10 PATCH per second (burst 20) per client; retry after 3 s" }),
      });
    });
    // WHEN liked, THEN the count is 1 before the API answered
    await page.getByRole("button", { name: /Like the haiku by issa/ }).click();
    expect(await likes.textContent()).toBe("1");
    expect(await page.getByRole("button", { name: /Like the haiku by issa \(1 like\)/ }).count()).toBe(1);
    // AND back to 0 with a "slow down" message once it refused
    held.release();
    const cardAlert = page.locator("li.haiku").getByRole("alert");
    await cardAlert.filter({ hasText: "Slow down" }).waitFor();
    expect(await likes.textContent()).toBe("0");
    expect(await cardAlert.textContent()).toBe("Slow down: too many requests in a short time, so the API did not take this one (429). Wait 3 s, then try again.");
    await screenshot(page, "feedback-phone-429");

    // WHEN the network fails, THEN rolled back again, and the message names the host, CORS and what to do
    await page.unrouteAll();
    await page.route("**/api/haiku/*", (route) => (route.request().method() === "PATCH" ? route.abort("failed") : route.fallback()));
    await page.getByRole("button", { name: /Like the haiku by issa/ }).click();
    await cardAlert.filter({ hasText: "could not reach" }).waitFor();
    expect(await likes.textContent()).toBe("0");
    expect(await cardAlert.textContent()).toMatch(/^Could not like the haiku: could not reach the API at 127\.0\.0\.1:\d+ \(.*CORS\)\. Check your connection and the API endpoint, then try again\.$/);

    // WHEN the API works again, THEN three quick likes count 3, on the page and in the table
    await page.unrouteAll();
    let answered = 0;
    let onResponse!: (r: Response) => void;
    const allAnswered = new Promise<void>((resolve) => {
      onResponse = (r) => {
        if (r.request().method() === "PATCH" && ++answered === 3) resolve();
      };
      page.on("response", onResponse);
    });
    const like = page.getByRole("button", { name: /Like the haiku by issa/ });
    await like.click();
    await like.click();
    await like.click();
    await page.waitForFunction(() => document.querySelector("li.haiku .likes")?.textContent === "3");
    // Still 3 once the API has answered all three (no late rollback), not after a fixed wait
    await allAnswered;
    page.off("response", onResponse);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
    expect(await likes.textContent()).toBe("3");
    expect((await listAll(gui.server))[0].likes).toBe(3);
    expect(await cardAlert.count()).toBe(0);
  }, 60000);

  test("says what happened and what to do when the endpoint is wrong, unreachable or not CORS-enabled", async () => {
    // A server on this machine that answers without CORS headers: the browser blocks the answer.
    const noCors = http.createServer((_req, res) => res.end("[]"));
    await new Promise<void>((r) => noCors.listen(0, "127.0.0.1", r));
    const noCorsUrl = `http://127.0.0.1:${(noCors.address() as AddressInfo).port}`;
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    try {
      await page.goto(`${gui.server.url}/`);
      await page.getByText("No haiku yet").waitFor();
      const cases: [string, RegExp][] = [
        [`${gui.server.url}/nope`, /^Could not load the haiku: the API refused it \(404: not found: \/nope\/haiku\)\. Check the API endpoint URL, or refresh the list\.$/],
        [`${closedUrl}/api`, /^Could not load the haiku: could not reach the API at 127\.0\.0\.1:\d+ .*CORS/],
        [noCorsUrl, /^Could not load the haiku: could not reach the API at 127\.0\.0\.1:\d+ .*CORS/],
      ];
      for (const [url, message] of cases) {
        if ((await page.locator("#endpoint").getAttribute("open")) === null) await page.locator("#endpoint summary").click();
        await page.getByLabel("API Endpoint URL").fill(url);
        await page.getByLabel("API Endpoint URL").dispatchEvent("change");
        const alert = page.getByRole("alert").filter({ hasText: "Could not load" });
        await alert.waitFor();
        expect(await alertText(page)).toMatch(message);
        expect(await page.locator("#endpoint").getAttribute("open")).not.toBeNull();
        expect(await page.locator("#status").textContent()).toBe("Not loaded.");
        expect(await page.locator("li.placeholder").count()).toBe(0);
        expect(await page.evaluate(() => localStorage.getItem("bashoutter.apiUrl"))).toBe(url);
      }
      await screenshot(page, "feedback-phone-unreachable");
      await page.getByRole("button", { name: "Dismiss the message" }).click();
      expect(await page.locator("#error").isVisible()).toBe(false);
      // WHEN the box is cleared, THEN the deployed URL is back and the list loads
      await page.getByLabel("API Endpoint URL").fill("");
      await page.getByLabel("API Endpoint URL").dispatchEvent("change");
      await page.getByText("No haiku yet").waitFor();
      expect(await page.getByLabel("API Endpoint URL").inputValue()).toBe(gui.server.apiUrl);
      expect(await page.evaluate(() => localStorage.getItem("bashoutter.apiUrl"))).toBeNull();
    } finally {
      await new Promise<void>((r) => noCors.close(() => r()));
    }
  }, 60000);

  test("follows X-Next-Cursor with Load more, without showing the haiku posted here twice", async () => {
    // GIVEN 25 haiku (the page asks for 20 at a time)
    await Promise.all(Array.from({ length: 25 }, (_, i) => postHaiku(gui.server, { username: `poet${i}`, first: "a", second: "b", third: "c" })));
    const firstPage = page.waitForResponse((r) => r.url().includes("/api/haiku?") && r.request().method() === "GET");
    await page.goto(`${gui.server.url}/`);
    const cursor = (await firstPage).headers()["x-next-cursor"];
    expect(cursor).toBeTruthy();
    await page.waitForFunction(() => document.querySelectorAll("li.haiku").length === 20);
    expect(await page.locator("#status").textContent()).toBe("20 haiku, more below");

    // AND one posted from here (on top at once; its place in the table may be on the next page)
    await fillForm(page, { first: "x", second: "y", third: "z", username: "me" });
    await page.getByRole("button", { name: "Post" }).click();
    await page.waitForFunction(() => document.querySelectorAll("li.haiku").length === 21);

    // WHEN Load more is clicked (the answer held), THEN it says it is loading, sends the cursor
    const held = gate();
    await page.route((url) => url.pathname === "/api/haiku" && url.searchParams.has("cursor"), async (route) => {
      await held.wait;
      await route.fallback();
    });
    const more = page.waitForRequest((r) => r.url().includes("cursor="));
    await page.getByRole("button", { name: "Load more" }).click();
    expect(new URL((await more).url()).searchParams.get("cursor")).toBe(cursor);
    expect(await page.locator("#load-more").textContent()).toBe("Loading…");
    expect(await page.locator("#load-more").isDisabled()).toBe(true);
    held.release();

    // THEN every haiku is shown once and the button goes away
    await page.waitForFunction(() => document.querySelectorAll("li.haiku").length >= 26);
    await page.getByRole("button", { name: "Load more" }).waitFor({ state: "hidden" });
    const ids = await cards(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.itemId));
    expect(ids).toHaveLength(26);
    expect(new Set(ids).size).toBe(26);
    expect(new Set(ids)).toEqual(new Set((await listAll(gui.server)).map((h) => h.item_id)));
    expect(await page.locator("#status").textContent()).toBe("26 haiku");
  }, 60000);
});

// ---------------------------------------------------------------- layout and accessibility: one table for all (SEED + MINE)

/** Japanese and English, short and long, one unbreakable 64-character line (the API's maximum). */
const SEED: readonly NewHaiku[] = [
  { username: "芭蕉", first: "古池や", second: "蛙飛び込む", third: "水の音" },
  { username: "Matsuo Bashō", first: "An old silent pond", second: "A frog jumps into the pond", third: "Splash! Silence again." },
  { username: "一茶", first: "やれ打つな", second: "蝿が手をすり", third: "足をする" },
  { username: "buson", first: "haru no umi", second: "hinemosu notari", third: "notari kana" },
  { username: "w".repeat(32), first: "w".repeat(64), second: "七".repeat(64), third: "end" },
  { username: "shiki", first: "kaki kueba", second: "kane ga naru nari", third: "hōryūji" },
];
/** Posted "from this browser": its token is put in localStorage, so it has a Delete button. */
const MINE: NewHaiku = { username: "me", first: "shizukasa ya", second: "iwa ni shimiiru", third: "semi no koe" };
const CARDS = SEED.length + 1;
/** Columns of the grid at each test width (one on a phone; two to four wider, three at 1280 px beside the form). */
const COLUMNS: Record<ViewportName, number> = { phone: 1, desktop: 3 };

let mine: { item_id: string; delete_token: string };

/** Readies the page with MINE's token remembered (and nothing else) for a load of the site. */
const resetToMine = (page: Page) => resetPage(gui, page, { "bashoutter.deleteTokens": JSON.stringify({ [mine.item_id]: mine.delete_token }) });
/** Opens the site with MINE's token remembered (and nothing else) and waits for every card. */
async function openSite(page: Page): Promise<void> {
  await resetToMine(page);
  await page.goto(`${gui.server.url}/`);
  await page.waitForFunction((n) => document.querySelectorAll("li.haiku").length === n, CARDS);
}

/** Distinct left edges of the cards, i.e. the grid's columns. */
async function columns(page: Page): Promise<number> {
  const lefts = await page.locator("li.haiku").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
  return new Set(lefts).size;
}

describe("layout and accessibility", () => {
  beforeAll(async () => {
    await clearHaiku(gui.server);
    for (const h of SEED) await postHaiku(gui.server, h);
    mine = await postHaiku(gui.server, MINE);
  });

  describe.each<ViewportName>(["phone", "desktop"])("at the %s width", (viewport) => {
    let page: Page;
    let errors: string[];
    const width = viewport === "phone" ? 390 : 1280;

    beforeEach(async () => {
      ({ page, errors } = await tabAt(viewport));
    });
    afterEach(() => {
      expect(errors).toEqual([]);
    });

    test("shows the haiku as cards in a grid, large type, no horizontal scroll, inputs fully visible, 44 px targets", async () => {
      await openSite(page);
      await page.locator("#endpoint summary").click(); // the endpoint box too
      expect(await page.locator("li.haiku").count()).toBe(CARDS);
      expect(await columns(page)).toBe(COLUMNS[viewport]);
      expectNoOverflow(await layoutReport(page), width);
      // The three lines in large serif type, with Japanese mincho faces for macOS, Windows and Debian
      const type = await page.locator("li.haiku .lines").first().evaluate((e) => {
        const s = getComputedStyle(e);
        return { size: parseFloat(s.fontSize), body: parseFloat(getComputedStyle(document.body).fontSize), family: s.fontFamily };
      });
      expect(type.size).toBeGreaterThanOrEqual(1.5 * type.body);
      const faces = type.family.split(/,\s*/).map((f) => f.replace(/^"|"$/g, ""));
      for (const face of ["Hiragino Mincho ProN", "Yu Mincho", "Noto Serif CJK JP", "IPAexMincho", "IPAMincho", "MS PMincho"]) expect(faces).toContain(face);
      expect(faces[faces.length - 1]).toBe("serif");
      // Poet and date on every card; Delete only on this browser's haiku, on the heart's row
      expect(await page.locator("li.haiku .author").count()).toBe(CARDS);
      expect(await page.locator("li.haiku time").count()).toBe(CARDS);
      expect(await page.locator("li.haiku button.delete").count()).toBe(1);
      // Dates never cut off (no ellipsis), even on the card with two buttons
      expect(await page.locator("li.haiku time").evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > e.parentElement!.getBoundingClientRect().right + 0.5).length)).toBe(0);
      const card = page.locator("li.haiku").filter({ hasText: "semi no koe" });
      expect(Math.abs((await card.locator(".like").boundingBox())!.y - (await card.locator(".delete").boundingBox())!.y)).toBeLessThan(2);
      await screenshot(page, `layout-${viewport}`);
      // Typing the longest lines the API takes does not widen anything either
      await page.getByLabel("First line").fill("w".repeat(64));
      await page.getByLabel("Second line").fill("七".repeat(64));
      expectNoOverflow(await layoutReport(page), width);
    }, 60000);

    test("sets the cards in vertical writing, remembered after a reload, and back", async () => {
      await openSite(page);
      expect(await page.locator("li.haiku .lines").first().evaluate((e) => getComputedStyle(e).writingMode)).toBe("horizontal-tb");
      await page.getByLabel("Vertical writing").check();
      const modes = await page.locator("li.haiku .lines").evaluateAll((els) => els.map((e) => getComputedStyle(e).writingMode));
      expect(modes).toEqual(Array(CARDS).fill("vertical-rl"));
      // The first line is the rightmost column, the poem taller than wide
      const poem = page.locator("li.haiku").filter({ hasText: "蛙飛び込む" }).locator(".lines");
      const spans = await poem.locator("span").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
      expect(spans[0]).toBeGreaterThan(spans[1]);
      expect(spans[1]).toBeGreaterThan(spans[2]);
      const box = (await poem.boundingBox())!;
      expect(box.height).toBeGreaterThan(box.width);
      expect(await page.evaluate(() => localStorage.getItem("bashoutter.vertical"))).toBe("1");
      expectNoOverflow(await layoutReport(page), width);
      expect(await columns(page)).toBe(COLUMNS[viewport]);
      await screenshot(page, `layout-${viewport}-vertical`);

      await page.reload();
      await page.waitForFunction((n) => document.querySelectorAll("li.haiku").length === n, CARDS);
      expect(await page.getByLabel("Vertical writing").isChecked()).toBe(true);
      expect(await poem.evaluate((e) => getComputedStyle(e).writingMode)).toBe("vertical-rl");

      await page.getByLabel("Vertical writing").uncheck();
      expect(await poem.evaluate((e) => getComputedStyle(e).writingMode)).toBe("horizontal-tb");
      expect(await page.evaluate(() => localStorage.getItem("bashoutter.vertical"))).toBeNull();
    }, 60000);

    test("shows card-sized placeholders while loading, and nothing moves when the list arrives", async () => {
      await resetToMine(page);
      const held = gate();
      await page.route((url) => url.pathname === "/api/haiku", async (route) => {
        await held.wait;
        await route.fallback();
      });
      await page.goto(`${gui.server.url}/`, { waitUntil: "domcontentloaded" });
      await page.waitForFunction(() => document.getElementById("status")?.textContent === "Loading…");
      expect(await page.locator("li.placeholder").count()).toBe(3);
      expect(await page.locator("#haiku-list").getAttribute("aria-busy")).toBe("true");
      expect(await page.locator("li.placeholder").first().getAttribute("aria-hidden")).toBe("true");
      const before = await page.evaluate(() => ({
        card: document.querySelector("li.placeholder")!.getBoundingClientRect().toJSON(),
        form: document.querySelector(".compose")!.getBoundingClientRect().toJSON(),
        head: document.querySelector(".list-head")!.getBoundingClientRect().toJSON(),
      }));
      await screenshot(page, `layout-${viewport}-loading`);
      held.release();
      await page.waitForFunction((n) => document.querySelectorAll("li.haiku").length === n, CARDS);
      await page.unrouteAll();
      expect(await page.locator("#haiku-list").getAttribute("aria-busy")).toBe("false");
      const after = await page.evaluate(() => ({
        card: document.querySelector("li.haiku")!.getBoundingClientRect().toJSON(),
        form: document.querySelector(".compose")!.getBoundingClientRect().toJSON(),
        head: document.querySelector(".list-head")!.getBoundingClientRect().toJSON(),
      }));
      expect(after.form).toEqual(before.form);
      expect(after.head).toEqual(before.head);
      expect([after.card.top, after.card.left, after.card.width]).toEqual([before.card.top, before.card.left, before.card.width]);
      // Cumulative layout shift as Chromium measures it (no user input during the load)
      type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources: { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[] };
      // (every shift since the load, buffered; read two frames on, when the frame that drew the list has been measured)
      const shifts = await page.evaluate(
        () =>
          new Promise<{ value: number; sources: string[] }[]>((resolve) => {
            const seen: { value: number; sources: string[] }[] = [];
            const add = (entries: PerformanceEntryList) => {
              for (const e of entries as Shift[]) {
                if (e.hadRecentInput) continue;
                const sources = e.sources.map((s) => `${(s.node as Element | undefined)?.outerHTML?.slice(0, 80) ?? s.node?.nodeName} ${JSON.stringify(s.previousRect)} -> ${JSON.stringify(s.currentRect)}`);
                seen.push({ value: e.value, sources });
              }
            };
            const observer = new PerformanceObserver((list) => add(list.getEntries()));
            observer.observe({ type: "layout-shift", buffered: true });
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                add(observer.takeRecords());
                observer.disconnect();
                resolve(seen);
              }),
            );
          }),
      );
      expect(shifts).toEqual([]);
    }, 60000);

    test("passes the accessibility checks: labels, names, contrast, focus order and indicators, alt texts, headings", async () => {
      await openSite(page);
      // Focus order (first, from the freshly loaded page): the reading order, each focused control with a visible indicator
      const order: { what: string; indicator: boolean }[] = [];
      for (let i = 0; i < 8 + CARDS + 1; i++) {
        await page.keyboard.press("Tab");
        order.push(
          await page.evaluate(() => {
            const e = document.activeElement as HTMLElement;
            const card = e.closest("li.haiku") as HTMLElement | null;
            const what = card ? `${e.className}@${card.querySelector(".author")!.textContent}` : e.id || e.tagName.toLowerCase();
            // The checkbox is invisible over its switch: the switch shows the focus.
            const shownBy = e.id === "vertical" ? (e.nextElementSibling as HTMLElement) : e;
            const s = getComputedStyle(shownBy);
            return { what, indicator: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 };
          }),
        );
      }
      const cardOrder = await page.locator("li.haiku").evaluateAll((els) =>
        els.flatMap((li) => Array.from(li.querySelectorAll("button"), (b) => `${b.className}@${li.querySelector(".author")!.textContent}`)),
      );
      expect(order.map((o) => o.what)).toEqual(["vertical", "first", "second", "third", "username", "post", "summary", "refresh", ...cardOrder].slice(0, order.length));
      expect(order.filter((o) => !o.indicator)).toEqual([]);
      // Cards are focused in the order they are read: row by row, left to right
      const positions = await page.locator("li.haiku").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [Math.round(r.top), Math.round(r.left)]));
      const reading = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(positions).toEqual(reading);

      await page.locator("#endpoint summary").click();

      // Labels: the 五 / 七 / 五 fields carry the English words for screen readers
      for (const [name, id] of [[/^五 First line, five sounds$/, "first"], [/^七 Second line, seven sounds$/, "second"], [/^五 Third line, five sounds$/, "third"], [/^Poet \(your name\)$/, "username"], [/^API Endpoint URL$/, "api-url"]] as const) {
        expect(await page.getByRole("textbox", { name }).getAttribute("id")).toBe(id);
      }
      expect(await page.getByRole("checkbox", { name: /縦書き Vertical writing/ }).count()).toBe(1);
      const unnamed = await page.evaluate(() => {
        const missing: string[] = [];
        for (const i of Array.from(document.querySelectorAll("input"))) if (!i.labels?.length || !i.labels[0].textContent?.trim()) missing.push(`input#${i.id}`);
        for (const b of Array.from(document.querySelectorAll("button, summary"))) if (!(b.getAttribute("aria-label") ?? b.textContent ?? "").trim()) missing.push(b.outerHTML.slice(0, 60));
        // Alt texts: every image described or hidden from assistive technology
        for (const img of Array.from(document.querySelectorAll("img"))) if (!img.hasAttribute("alt")) missing.push(`img ${img.src}`);
        for (const svg of Array.from(document.querySelectorAll("svg"))) if (svg.getAttribute("aria-hidden") !== "true" && !svg.querySelector("title") && !svg.getAttribute("aria-label")) missing.push("svg");
        for (const r of Array.from(document.querySelectorAll("[role=img]"))) if (!r.getAttribute("aria-label")) missing.push("role=img");
        return missing;
      });
      expect(unnamed).toEqual([]);

      // Document: language, title, one h1, no skipped heading level; Japanese poems marked lang="ja"
      const doc = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        title: document.title,
        headings: Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"), (h) => Number(h.tagName[1])),
        ja: Array.from(document.querySelectorAll("li.haiku .lines[lang=ja]"), (l) => l.textContent),
      }));
      expect(doc.lang).toBe("en");
      expect(doc.title).toMatch(/Bashoutter/);
      expect(doc.headings.filter((h) => h === 1)).toHaveLength(1);
      doc.headings.forEach((h, i) => i > 0 && expect(h - doc.headings[i - 1]).toBeLessThanOrEqual(1));
      expect(doc.ja.sort()).toEqual(["やれ打つな蝿が手をすり足をする", "古池や蛙飛び込む水の音", `w${"w".repeat(63)}${"七".repeat(64)}end`].sort());

      // Contrast (WCAG AA), from the computed colours of every visible text and control, with an error shown too
      await page.getByRole("button", { name: "Post" }).click();
      await page.locator("#form-error").waitFor();
      const contrast = await page.evaluate(contrastReport);
      expect(contrast.checked).toBeGreaterThan(30);
      expect(contrast.failures).toEqual([]);
    }, 60000);
  });

  test("shows dates in the browser's locale, 24-hour, without seconds", async () => {
    const created = (await (await fetch(`${gui.server.apiUrl}/haiku`)).json()) as { created_at: string }[];
    const locales = [
      ["ja-JP", "Asia/Tokyo", /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/], // the course's 2026/12/01 06:38
      ["en-US", "America/New_York", /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}$/], // no AM/PM
      ["de-DE", "Europe/Berlin", /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/],
    ] as const;
    const times = (page: Page) => page.locator("li.haiku time").evaluateAll((els) => els.map((e) => [e.getAttribute("datetime"), e.textContent]));
    // Side by side: the phone width's page where its locale and time zone are the default ones, else a context of their own
    const shownBy = await Promise.all(
      locales.map(async ([locale, timezoneId]) => {
        if (locale === PAGE_LOCALE.locale && timezoneId === PAGE_LOCALE.timezoneId) {
          const { page, errors } = await tabAt("phone");
          await openSite(page);
          expect(errors).toEqual([]);
          return times(page);
        }
        const { context, page } = await openPage(gui, "phone", { locale, timezoneId });
        try {
          await page.goto(`${gui.server.url}/`);
          await page.waitForFunction((n) => document.querySelectorAll("li.haiku").length === n, CARDS);
          return await times(page);
        } finally {
          await context.close();
        }
      }),
    );
    locales.forEach(([locale, timezoneId, pattern], i) => {
      const shown = shownBy[i];
      expect(shown.map(([iso]) => iso).sort()).toEqual(created.map((h) => h.created_at).sort());
      const format = new Intl.DateTimeFormat(locale, { timeZone: timezoneId, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
      for (const [iso, text] of shown) {
        expect(text).toMatch(pattern);
        expect(text).toBe(format.format(new Date(iso!)));
      }
    });
  }, 60000);
});
