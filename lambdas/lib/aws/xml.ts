/**
 * Just enough XML for AWS Query-protocol responses: elements, text,
 * the five named entities and numeric character references, comments and
 * the `<?xml ...?>` declaration skipped, attributes (xmlns) ignored,
 * namespace prefixes dropped. Malformed input (a stray or unclosed tag)
 * throws, so a truncated response is an error, not an empty result.
 */

export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  /** Text directly inside the element, entities decoded. */
  text: string;
}

const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^>]*?)?(\/?)>|([^<]+)|</g;
const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref[0] === "#") return String.fromCodePoint(ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    const named = ENTITIES[ref];
    if (named === undefined) throw new Error(`XML: unknown entity ${whole}`);
    return named;
  });
}

/** The root element of `xml`. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", children: [], text: "" };
  const stack: XmlElement[] = [root];
  for (const m of xml.matchAll(TOKEN)) {
    const [whole, cdata, closing, rawName, selfClosing, text] = m;
    const top = stack[stack.length - 1];
    if (cdata !== undefined) top.text += cdata;
    else if (text !== undefined) top.text += decodeEntities(text);
    else if (rawName !== undefined) {
      const name = rawName.includes(":") ? rawName.slice(rawName.indexOf(":") + 1) : rawName;
      if (closing) {
        if (stack.length === 1 || top.name !== name) throw new Error(`XML: </${rawName}> does not close <${top.name}>`);
        stack.pop();
      } else {
        const el: XmlElement = { name, children: [], text: "" };
        top.children.push(el);
        if (!selfClosing) stack.push(el);
      }
    } else if (whole === "<") throw new Error("XML: stray <");
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1].name}> is not closed`);
  const elements = root.children;
  if (elements.length !== 1) throw new Error(`XML: expected one root element, found ${elements.length}`);
  return elements[0];
}

/** The first child named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** The text of the first child named `name`, or undefined when there is none. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  return child(el, name)?.text;
}

/** The first element named `name` at any depth (depth first). */
export function descendant(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.name === name) return c;
    const d = descendant(c, name);
    if (d) return d;
  }
  return undefined;
}
