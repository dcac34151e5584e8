/**
 * Turns the Markdown the report renders (headings, tables, paragraphs, fenced code blocks, `code`, **bold**)
 * into HTML, so the HTML page carries exactly the same text as report.md. Only that
 * subset: it is not a general Markdown parser.
 */
import { xmlEscape } from './junit.js';

function inline(text: string): string {
  return xmlEscape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*FAIL(ED)?\*\*/g, '<span class="fail">FAIL$1</span>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

function cells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** The id of a heading (`## The answer` -> `the-answer`): what the HTML page's table of contents links to. */
export function headingId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';
}

/** Converts the report's Markdown subset to HTML (level-2 headings get ids, unique within the page). */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  const lines = md.split('\n');
  const ids = new Set<string>();
  const uniqueId = (text: string) => {
    let id = headingId(text);
    for (let k = 2; ids.has(id); k++) id = `${headingId(text)}-${k}`;
    ids.add(id);
    return id;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^(#{1,3}) (.*)$/.exec(line);
    if (line.startsWith('```')) {
      const code: string[] = [];
      while (i + 1 < lines.length && !lines[i + 1]!.startsWith('```')) code.push(lines[++i]!);
      i += 1; // the closing fence
      out.push(`<pre><code>${xmlEscape(code.join('\n'))}</code></pre>`);
    } else if (h) out.push(`<h${h[1]!.length}${h[1]!.length === 2 ? ` id="${uniqueId(h[2]!)}"` : ''}>${inline(h[2]!)}</h${h[1]!.length}>`);
    else if (line.startsWith('|')) {
      const head = cells(line);
      const rows: string[][] = [];
      i += 1; // the |---| line
      while (i + 1 < lines.length && lines[i + 1]!.startsWith('|')) rows.push(cells(lines[++i]!));
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>` +
          rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
    } else if (line.startsWith('- ')) {
      // A bullet list (the verdict block's per-variant lines): consecutive `- ` lines.
      const items = [line.slice(2)];
      while (i + 1 < lines.length && lines[i + 1]!.startsWith('- ')) items.push(lines[++i]!.slice(2));
      out.push(`<ul>${items.map((x) => `<li>${inline(x)}</li>`).join('')}</ul>`);
    } else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  return out.join('\n');
}
