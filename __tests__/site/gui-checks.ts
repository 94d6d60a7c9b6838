/**
 * In-page measurements of the GUI's layout and accessibility checks
 * (haiku-gui.browser.test.ts), each one page.evaluate: a whole page's
 * elements measured in one round trip instead of one per element.
 */
import type { Page } from "playwright-core";

export interface LayoutReport {
  viewportWidth: number;
  scrollWidth: number;
  outside: string[];
  clippedControls: string[];
  smallTargets: string[];
  narrowInputs: string[];
}

/** Everything on the page that sticks out of the viewport, controls clipped by an ancestor, targets under 44 px. */
export function layoutReport(page: Page): Promise<LayoutReport> {
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

export function expectNoOverflow(report: LayoutReport, width: number): void {
  expect(report.viewportWidth).toBe(width);
  expect(report.scrollWidth).toBeLessThanOrEqual(width);
  expect(report.outside).toEqual([]);
  expect(report.clippedControls).toEqual([]);
  expect(report.smallTargets).toEqual([]);
  expect(report.narrowInputs).toEqual([]);
}

/**
 * Runs in the page: WCAG contrast of every visible text (4.5:1, 3:1 for large text) against
 * its composited background, and of input borders and the switch track (3:1, non-text).
 */
export function contrastReport(): { checked: number; failures: string[] } {
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
