/**
 * Reading the repository's Markdown: its files, fenced code blocks, links and heading anchors
 * (GitHub's slug rules), for the documentation tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where the repository's files are on GitHub: links to them are checked against the checkout. */
export const REPOSITORY_URL = 'https://github.com/nest-flask-session/nest-flask-session';

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  'dist',
  '.git',
  '.bench-dist',
  'coverage',
  'test-artifacts',
  '.snippets',
]);

/** Every Markdown file of the repository (paths relative to its root, `/`-separated), sorted. */
export function markdownFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.name.endsWith('.md')) {
        found.push(relative(ROOT, join(dir, entry.name)).split('\\').join('/'));
      }
    }
  };
  walk(ROOT);
  return found.sort();
}

export function readMarkdown(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export interface CodeBlock {
  /** The fence's language (`ts`, `bash`, ...), empty when none. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Fenced code blocks (``` or ~~~), indented ones included (a block inside a list item). */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence![0]}{${fence!.length},}\\s*$`).test(lines[j]!); j++) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!.trimStart());
    }
    blocks.push({ lang: open[3]!, code: body.length ? `${body.join('\n')}\n` : '', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The text outside code blocks and inline code, where links and headings are. */
export function prose(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      out.push('');
    } else if (marker) {
      fence = marker;
      out.push('');
    } else {
      out.push(line.replace(/(`+)[\s\S]*?\1/g, (code) => ' '.repeat(code.length)));
    }
  }
  return out.join('\n');
}

export interface MarkdownLink {
  target: string;
  line: number;
}

/** Inline links and images `[text](target)`, and reference definitions `[id]: target`. */
export function links(markdown: string): MarkdownLink[] {
  const found: MarkdownLink[] = [];
  prose(markdown)
    .split('\n')
    .forEach((text, index) => {
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
        found.push({ target: m[1]!, line: index + 1 });
      const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(text);
      if (definition) found.push({ target: definition[1]!, line: index + 1 });
    });
  return found;
}

/** GitHub's anchor for a heading text: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a Markdown file's headings produce, numbered as GitHub numbers repeats. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of markdown.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2\s*$/gm, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}
