/**
 * README's Quick start, read from README.md and applied to an app as `nest new` generated it, the
 * way README tells a reader to: whole files written as shown, and the `src/app.module.ts` excerpt's
 * lines marked `// added` put where the excerpt puts them, keeping everything else the generator
 * wrote (Nest 12's ObserveModule wiring included). Used by the snippet test and the consumer apps.
 *
 * README's blocks start with a marker line: `// <path>` (a whole file), `// <path> (excerpt)` (lines
 * to add to a generated file) or `// <path> (Fastify)` (a file for a Fastify app). A line may carry
 * its CommonJS form beside the ES module one: `... './x.js'; // ...Nest 11 (CommonJS): './x'`.
 */
import { codeBlocks, readMarkdown } from './markdown.js';

export type ModuleSystem = 'commonjs' | 'esm';

/** An app's files: path relative to the app's root → contents. */
export type AppFiles = Record<string, string>;

export interface QuickStartBlock {
  path: string;
  qualifier: 'file' | 'excerpt' | 'Fastify';
  code: string;
}

const MARKER = /^\/\/ ((?:src|test)\/[\w./-]+\.ts)(?: \((excerpt|Fastify)\))?\n/;

/** README's blocks that are files of the reader's app (marker `// src/...` or `// test/...`). */
export function quickStartBlocks(readme = readMarkdown('README.md')): QuickStartBlock[] {
  return codeBlocks(readme)
    .filter((block) => block.lang === 'ts')
    .flatMap((block) => {
      const marker = MARKER.exec(block.code);
      if (!marker) return [];
      const qualifier = (marker[2] ?? 'file') as QuickStartBlock['qualifier'];
      return [{ path: marker[1]!, qualifier, code: block.code }];
    });
}

const COMMONJS_FORM = /\/\/.*Nest 11 \(CommonJS\): '([^']+)'/;

/** A line as a CommonJS app writes it: the import specifier README gives for Nest 11. */
export function inModuleSystem(code: string, moduleSystem: ModuleSystem): string {
  if (moduleSystem === 'esm') return code;
  return code
    .split('\n')
    .map((line) => {
      const cjs = COMMONJS_FORM.exec(line);
      return cjs ? line.replace(/from '[^']+'/, `from '${cjs[1]}'`) : line;
    })
    .join('\n');
}

/** The position of the `]` closing the array that opens at `open` (skipping strings and comments). */
function closingBracket(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (c === '/' && code[i + 1] === '/') i = code.indexOf('\n', i) === -1 ? code.length : code.indexOf('\n', i);
    else if (c === '/' && code[i + 1] === '*') i = code.indexOf('*/', i + 2) + 1;
    else if (c === "'" || c === '"' || c === '`') {
      for (i++; i < code.length && code[i] !== c; i++) if (code[i] === '\\') i++;
    } else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error('unbalanced brackets');
}

/** Adds `entry` (a line of source) at the end of the `<property>: [...]` array of `code`. */
function addToArray(code: string, property: string, entry: string, { ownLine }: { ownLine: boolean }): string {
  const start = code.search(new RegExp(`\\b${property}:\\s*\\[`));
  if (start === -1) throw new Error(`the generated file has no \`${property}: [\``);
  const open = code.indexOf('[', start);
  const close = closingBracket(code, open);
  const inside = code.slice(open + 1, close);
  const lineStart = code.lastIndexOf('\n', start) + 1;
  const indent = /^\s*/.exec(code.slice(lineStart))![0];
  if (!ownLine) {
    const item = entry.trim().replace(/,$/, '');
    return `${code.slice(0, close)}${inside.trim() ? ', ' : ''}${item}${code.slice(close)}`;
  }
  const body = inside.replace(/\s+$/, '');
  const separator = body.trim() === '' || /[,[]\s*(\/\/.*)?$/.test(body) ? '' : ',';
  return `${code.slice(0, open + 1)}${body}${separator}\n${indent}  ${entry.trim()}\n${indent}${code.slice(close)}`;
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/**
 * Applies an excerpt to the generated file: `// added` import lines go after the generated
 * imports, an `// added` line inside an array (`imports: [`) goes at the end of that array, and
 * `// X added` on an array line adds X to it. Every other line of the excerpt must be in the
 * generated file already (so the excerpt is an excerpt of what `nest new` wrote).
 */
export function applyExcerpt(generated: string, excerpt: string, moduleSystem: ModuleSystem): string {
  const lines = inModuleSystem(excerpt, moduleSystem).split('\n').slice(1);
  let code = generated;
  const imports: string[] = [];
  let array: string | null = null;
  for (const line of lines) {
    const opens = /^\s*(\w+):\s*\[\s*(\/\/.*)?$/.exec(line);
    const named = /\/\/ (\w+) added$/.exec(line);
    const added = /\/\/ added\b/.test(line);
    if (added && /^import /.test(line)) imports.push(line);
    else if (added && array) code = addToArray(code, array, line, { ownLine: true });
    else if (named) {
      const property = /^\s*(\w+):\s*\[/.exec(line)?.[1];
      if (!property) throw new Error(`cannot apply "${line.trim()}": not an array property`);
      code = addToArray(code, property, named[1]!, { ownLine: false });
    } else if (line.trim() && !squeeze(generated).includes(squeeze(line))) {
      throw new Error(`the excerpt's line "${line.trim()}" is not in the generated file:\n${generated}`);
    }
    if (opens) array = opens[1]!;
    else if (/^\s*\]/.test(line)) array = null;
  }
  const importLines = [...code.matchAll(/^import [^;]*;.*$/gm)];
  const last = importLines.at(-1);
  const at = last ? last.index! + last[0].length + 1 : 0;
  return `${code.slice(0, at)}${imports.map((line) => `${line}\n`).join('')}${code.slice(at)}`;
}

/**
 * The app after README's Quick start and its e2e test: `app` holds the generated files (at least
 * `src/app.module.ts`); Fastify apps also get README's `src/main.ts (Fastify)`.
 */
export function applyQuickStart(
  app: AppFiles,
  {
    moduleSystem,
    platform = 'express',
    readme,
  }: { moduleSystem: ModuleSystem; platform?: 'express' | 'fastify'; readme?: string },
): AppFiles {
  const result: AppFiles = { ...app };
  const blocks = quickStartBlocks(readme);
  const need = (path: string, qualifier: QuickStartBlock['qualifier']) => {
    const block = blocks.find((b) => b.path === path && b.qualifier === qualifier);
    if (!block)
      throw new Error(`README.md has no \`// ${path}${qualifier === 'file' ? '' : ` (${qualifier})`}\` block`);
    return block;
  };
  need('src/app.module.ts', 'excerpt');
  need('src/cart.controller.ts', 'file');
  need('test/session.e2e-spec.ts', 'file');
  for (const block of blocks) {
    if (block.qualifier === 'excerpt') {
      const generated = result[block.path];
      if (generated === undefined) throw new Error(`the app has no ${block.path} for README's excerpt`);
      result[block.path] = applyExcerpt(generated, block.code, moduleSystem);
    } else if (block.qualifier === 'file' || (block.qualifier === 'Fastify' && platform === 'fastify')) {
      result[block.path] = inModuleSystem(block.code, moduleSystem);
    }
  }
  return result;
}
