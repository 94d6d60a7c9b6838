/**
 * The GUI's layout and accessibility in headless Chromium at 390 px and
 * 1280 px: grid columns, no horizontal scroll, inputs fully visible, 44 px
 * targets, large serif type, vertical writing (remembered), placeholders
 * with no layout shift, dates in the browser's locale; labels, accessible
 * names, contrast computed from the computed styles, focus order and focus
 * indicators, alt texts, headings. Screenshots: test-artifacts/screenshots/.
 */
import type { BrowserContext, Page } from "playwright-core";
import { Gui, NewHaiku, ViewportName, gate, openPage, postHaiku, screenshot, startGui } from "./gui-harness";

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

let gui: Gui;
let mine: { item_id: string; delete_token: string };

beforeAll(async () => {
  gui = await startGui();
  for (const h of SEED) await postHaiku(gui.server, h);
  mine = await postHaiku(gui.server, MINE);
}, 60000);

afterAll(async () => {
  await gui?.close();
});

/** Opens the site with MINE's token remembered (and nothing else) and waits for every card. */
async function openSite(page: Page): Promise<void> {
  await page.goto(`${gui.server.url}/config.json`);
  await page.evaluate(([id, token]) => {
    localStorage.clear();
    localStorage.setItem("bashoutter.deleteTokens", JSON.stringify({ [id]: token }));
  }, [mine.item_id, mine.delete_token] as const);
  await page.goto(`${gui.server.url}/`);
  await page.waitForFunction((n) => document.querySelectorAll("li.haiku").length === n, CARDS);
}

interface LayoutReport {
  viewportWidth: number;
  scrollWidth: number;
  outside: string[];
  clippedControls: string[];
  smallTargets: string[];
  narrowInputs: string[];
}

/** Everything on the page that sticks out of the viewport, controls clipped by an ancestor, targets under 44 px. */
function layoutReport(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const describe = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${e.className && typeof e.className === "string" ? `.${e.className.trim().replace(/\s+/g, ".")}` : ""}`;
    const shown = (e: Element) => {
      if (e.closest(".visually-hidden")) return false;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && e.checkVisibility({ visibilityProperty: true });
    };
    const all = Array.from(document.querySelectorAll("body *")).filter(shown);
    // Content of a scroll box (a very long poem in vertical writing) may extend past it: it scrolls there, not the page.
    const inScrollBox = (e: Element) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (/auto|scroll/.test(getComputedStyle(a).overflowX)) return true;
      return false;
    };
    const outside = all.filter((e) => {
      const r = e.getBoundingClientRect();
      return (r.left < -0.5 || r.right > vw + 0.5) && !inScrollBox(e);
    });
    const controls = Array.from(document.querySelectorAll("input, button, summary")).filter(shown);
    const clippedControls = controls.filter((c) => {
      const r = c.getBoundingClientRect();
      for (let a = c.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const box = a.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) return true;
      }
      return r.left < 0 || r.right > vw;
    });
    // The vertical-writing switch: its hidden checkbox covers the whole label, which is the target.
    const targets = [...controls.filter((c) => !(c instanceof HTMLInputElement && c.type === "checkbox")), ...Array.from(document.querySelectorAll("label.toggle"))];
    const smallTargets = targets.filter((t) => {
      const r = t.getBoundingClientRect();
      return r.height < 44 || r.width < 44;
    });
    const narrowInputs = controls.filter((c) => c instanceof HTMLInputElement && c.type !== "checkbox" && c.getBoundingClientRect().width < 150);
    return {
      viewportWidth: vw,
      scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
      outside: outside.map(describe),
      clippedControls: clippedControls.map(describe),
      smallTargets: smallTargets.map((t) => `${describe(t)} ${Math.round(t.getBoundingClientRect().width)}x${Math.round(t.getBoundingClientRect().height)}`),
      narrowInputs: narrowInputs.map(describe),
    };
  });
}

function expectNoOverflow(report: LayoutReport, width: number): void {
  expect(report.viewportWidth).toBe(width);
  expect(report.scrollWidth).toBeLessThanOrEqual(width);
  expect(report.outside).toEqual([]);
  expect(report.clippedControls).toEqual([]);
  expect(report.smallTargets).toEqual([]);
  expect(report.narrowInputs).toEqual([]);
}

/** Distinct left edges of the cards, i.e. the grid's columns. */
async function columns(page: Page): Promise<number> {
  const lefts = await page.locator("li.haiku").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
  return new Set(lefts).size;
}

describe.each<ViewportName>(["phone", "desktop"])("at the %s width", (viewport) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const width = viewport === "phone" ? 390 : 1280;

  beforeAll(async () => {
    ({ context, page, errors } = await openPage(gui, viewport));
  });
  afterAll(async () => {
    await context?.close();
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
    await openSite(page);
    const held = gate();
    await page.route((url) => url.pathname === "/api/haiku", async (route) => {
      await held.wait;
      await route.fallback();
    });
    await page.reload({ waitUntil: "domcontentloaded" });
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
    const shifts = await page.evaluate(
      () =>
        new Promise<{ value: number; sources: string[] }[]>((resolve) => {
          const seen: { value: number; sources: string[] }[] = [];
          new PerformanceObserver((entries) => {
            for (const e of entries.getEntries() as Shift[]) {
              if (e.hadRecentInput) continue;
              const sources = e.sources.map((s) => `${(s.node as Element | undefined)?.outerHTML?.slice(0, 80) ?? s.node?.nodeName} ${JSON.stringify(s.previousRect)} -> ${JSON.stringify(s.currentRect)}`);
              seen.push({ value: e.value, sources });
            }
          }).observe({ type: "layout-shift", buffered: true });
          setTimeout(() => resolve(seen), 200);
        }),
    );
    expect(shifts).toEqual([]);
  }, 60000);

  test("passes the accessibility checks: labels, names, contrast, focus order and indicators, alt texts, headings", async () => {
    await openSite(page);
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

    // Focus order: the reading order, each focused control with a visible indicator
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll("li.haiku").length === n, CARDS);
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
  }, 60000);
});

test("shows dates in the browser's locale, 24-hour, without seconds", async () => {
  const created = (await (await fetch(`${gui.server.apiUrl}/haiku`)).json()) as { created_at: string }[];
  const locales = [
    ["ja-JP", "Asia/Tokyo", /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/], // the course's 2026/12/01 06:38
    ["en-US", "America/New_York", /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}$/], // no AM/PM
    ["de-DE", "Europe/Berlin", /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/],
  ] as const;
  // One context per locale, side by side (each its own locale and time zone)
  const shownBy = await Promise.all(
    locales.map(async ([locale, timezoneId]) => {
      const { context, page } = await openPage(gui, "phone", { locale, timezoneId });
      try {
        await page.goto(`${gui.server.url}/`);
        await page.waitForFunction((n) => document.querySelectorAll("li.haiku").length === n, CARDS);
        return await page.locator("li.haiku time").evaluateAll((els) => els.map((e) => [e.getAttribute("datetime"), e.textContent]));
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

/**
 * Runs in the page: WCAG contrast of every visible text (4.5:1, 3:1 for large text) against
 * its composited background, and of input borders and the switch track (3:1, non-text).
 */
function contrastReport(): { checked: number; failures: string[] } {
  type Rgba = [number, number, number, number];
  const parse = (c: string): Rgba => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) throw new Error(`colour ${c} not understood`);
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p[3] ?? 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    const mix = (i: number) => (a === 0 ? 0 : (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a);
    return [mix(0), mix(1), mix(2), a];
  };
  const background = (e: Element | null): Rgba => {
    const layers: Rgba[] = [];
    for (let a = e; a; a = a.parentElement) layers.push(parse(getComputedStyle(a).backgroundColor));
    return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255, 1] as Rgba);
  };
  const luminance = (c: Rgba) => {
    const ch = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a: Rgba, b: Rgba) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}.${String(e.className).replace(/\s+/g, ".")}`;
  const failures: string[] = [];
  let checked = 0;
  const check = (what: string, fg: Rgba, bg: Rgba, min: number) => {
    checked++;
    const r = ratio(over(fg, bg), bg);
    if (r < min) failures.push(`${what}: ${r.toFixed(2)} < ${min}`);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement!;
    if (!n.textContent!.trim() || e.closest(".visually-hidden, [aria-hidden=true], :disabled")) continue;
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || !e.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const s = getComputedStyle(e);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    check(`"${n.textContent!.trim().slice(0, 20)}" in ${name(e)}`, parse(s.color), background(e), large ? 3 : 4.5);
  }
  for (const i of Array.from(document.querySelectorAll<HTMLInputElement>("input:not([type=checkbox])"))) {
    if (!i.checkVisibility()) continue;
    const s = getComputedStyle(i);
    check(`text of ${name(i)}`, parse(s.color), background(i), 4.5);
    check(`placeholder of ${name(i)}`, parse(getComputedStyle(i, "::placeholder").color), background(i), 4.5);
    check(`border of ${name(i)}`, parse(s.borderTopColor), background(i.parentElement), 3);
  }
  for (const t of Array.from(document.querySelectorAll(".switch"))) check("switch track", parse(getComputedStyle(t).backgroundColor), background(t.parentElement), 3);
  return { checked, failures };
}
