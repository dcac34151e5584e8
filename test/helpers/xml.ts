/**
 * A strict little XML reader for tests of the XML the harness writes (JUnit): it throws
 * on anything not well-formed (unbalanced or mismatched tags, unquoted or duplicate
 * attributes, a raw `<` or a bare `&` in text or attribute values, text outside the
 * root) and returns the element tree, so a test can count elements against the
 * attributes that claim their number. No DTDs, comments or CDATA: the harness writes none.
 */

/** An element: name, attributes (entities decoded), children, and its text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (s.includes('<')) throw new Error(`raw '<' in text or attribute near offset ${where}`);
  return s.replace(/&([^;\s]*);?/g, (m, name: string) => {
    if (!m.endsWith(';') || !(name in ENTITIES)) throw new Error(`bare or unknown entity '${m}' near offset ${where}`);
    return ENTITIES[name]!;
  });
}

/** Parses `xml` (an optional `<?xml ...?>` declaration, then one root element); throws when not well-formed. */
export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const [, close, name, attrText, selfClose, text, stray] = m;
    if (stray) throw new Error(`malformed tag near offset ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (text !== undefined) {
      if (!stack.length) {
        if (text.trim()) throw new Error(`text outside the root element near offset ${m.index}`);
        continue;
      }
      stack.at(-1)!.text += decode(text, m.index);
      continue;
    }
    if (close) {
      const open = stack.pop();
      if (open?.name !== name || attrText || selfClose) throw new Error(`</${name}> does not close <${open?.name ?? 'nothing'}> (offset ${m.index})`);
      continue;
    }
    if (root && !stack.length) throw new Error(`a second root element <${name}> at offset ${m.index}`);
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([A-Za-z_][\w.:-]*)="([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}> (offset ${m.index})`);
      attrs[a[1]!] = decode(a[2]!, m.index);
    }
    const el: XmlElement = { name: name!, attrs, children: [], text: '' };
    if (stack.length) stack.at(-1)!.children.push(el);
    else root = el;
    if (!selfClose) stack.push(el);
  }
  if (stack.length) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` under `el` (depth first, `el` included). */
export function elements(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => elements(c, name))];
}
