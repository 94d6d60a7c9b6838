/**
 * The GUI's flows in headless Chromium against the dev server, at 390 px and
 * 1280 px: post (counts, missing fields in form order, API errors keep the
 * input, new haiku on top without a reload), like (optimistic, rolled back on
 * 429/network errors), delete (only this browser's haiku, with its token),
 * errors that say what to do, and "Load more" following X-Next-Cursor.
 * Layout and accessibility: haiku-gui-layout.browser.test.ts.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import type { BrowserContext, Page, Request, Response } from "playwright-core";
import { Gui, ViewportName, clearHaiku, fillForm, gate, listAll, openPage, postHaiku, screenshot, startGui } from "./gui-harness";

let gui: Gui;

beforeAll(async () => {
  gui = await startGui();
}, 60000);

afterAll(async () => {
  await gui?.close();
});

const cards = (page: Page) => page.locator("li.haiku");
/** A blank page of the site's origin with nothing remembered (tokens, endpoint, vertical writing). */
async function forget(page: Page): Promise<void> {
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.goto(`${gui.server.url}/config.json`);
  await page.evaluate(() => localStorage.clear());
}

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

describe.each<ViewportName>(["phone", "desktop"])("at the %s width", (viewport) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ context, page, errors } = await openPage(gui, viewport));
  });
  afterAll(async () => {
    await context?.close();
  });
  beforeEach(async () => {
    await clearHaiku(gui.server);
    await forget(page);
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
    for (let round = 0; round < 2; round++) {
      expect(await mine.getByRole("button", { name: /Delete/ }).count()).toBe(1);
      expect(await theirs.getByRole("button", { name: /Delete/ }).count()).toBe(0);
      expect(await theirs.getByRole("button", { name: /Like/ }).count()).toBe(1);
      // Delete sits on the same row as the heart (it used to wrap onto its own line at 390 px)
      const like = (await mine.locator("button.like").boundingBox())!;
      const del = (await mine.locator("button.delete").boundingBox())!;
      expect(Math.abs(like.y - del.y)).toBeLessThan(2);
      await page.reload();
      await mine.waitFor();
    }
  }, 60000);
});

describe("feedback at the phone width", () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ context, page, errors } = await openPage(gui, "phone"));
  });
  afterAll(async () => {
    await context?.close();
  });
  beforeEach(async () => {
    await clearHaiku(gui.server);
    await forget(page);
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
    for (let i = 0; i < 25; i++) await postHaiku(gui.server, { username: `poet${i}`, first: "a", second: "b", third: "c" });
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
