/**
 * The repository's Markdown (README, docs/, CONTRIBUTING, CHANGELOG, bench/ and sample/ READMEs,
 * and any other .md) links only to files and headings that exist; README's links also work on the
 * npm package page, which shows README alone (every link absolute, or to one of README's own
 * headings); README stays a package page (about 300 lines), and README and docs/ carry no internal
 * issue numbers and no pass/fail target tables (those belong to bench/README.md).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { anchors, links, markdownFiles, prose, readMarkdown, REPOSITORY_URL, ROOT } from '../support/markdown.js';

/** A link's local file and anchor, or null for a link outside the repository. */
function localTarget(from: string, target: string): { path: string; anchor: string | null } | null {
  const [pathPart, anchor = null] = target.split('#', 2) as [string, string?];
  const repository = new RegExp(
    `^${REPOSITORY_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:blob|tree)/main/(.*)$`,
  ).exec(pathPart);
  if (repository) return { path: normalize(decodeURIComponent(repository[1]!)), anchor };
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathPart) || pathPart.startsWith('//')) return null;
  if (pathPart === '') return { path: from, anchor };
  if (pathPart.startsWith('/')) return { path: normalize(pathPart.slice(1)), anchor };
  return { path: normalize(join(dirname(from), decodeURIComponent(pathPart))), anchor };
}

function deadLinks(file: string): string[] {
  const problems: string[] = [];
  for (const { target, line } of links(readMarkdown(file))) {
    const local = localTarget(file, target);
    if (!local) continue;
    const where = `${file}:${line} → ${target}`;
    if (local.path.startsWith('..') || !existsSync(join(ROOT, local.path))) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (local.anchor && local.path.endsWith('.md') && statSync(join(ROOT, local.path)).isFile()) {
      if (!anchors(readMarkdown(local.path)).has(local.anchor)) problems.push(`${where}: no heading #${local.anchor}`);
    }
  }
  return problems;
}

describe('Markdown files', () => {
  const files = markdownFiles();

  it('include README, CONTRIBUTING, CHANGELOG, docs/, bench/ and sample/ READMEs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'CONTRIBUTING.md',
        'CHANGELOG.md',
        'bench/README.md',
        'sample/README.md',
        'docs/README.md',
        'docs/configuration.md',
      ]),
    );
  });

  it('link only to files and headings that exist', () => {
    expect(files.flatMap(deadLinks)).toEqual([]);
  });

  it('the dead-link check finds a missing file and a missing heading', () => {
    expect(localTarget('docs/a.md', '../README.md#install')).toEqual({ path: 'README.md', anchor: 'install' });
    expect(localTarget('README.md', `${REPOSITORY_URL}/blob/main/docs/redis.md#outages`)).toEqual({
      path: 'docs/redis.md',
      anchor: 'outages',
    });
    expect(localTarget('README.md', 'https://docs.nestjs.com/')).toBeNull();
    expect(
      anchors('# Redis Cluster and Sentinel\n## `regenerate()` and `destroy()`\n## Outages\n## Outages\n'),
    ).toEqual(new Set(['redis-cluster-and-sentinel', 'regenerate-and-destroy', 'outages', 'outages-1']));
    expect(links('[a](docs/missing.md) `[b](not-a-link.md)`\n\n```md\n[c](in-code.md)\n```\n[d]: ./ref.md\n')).toEqual([
      { target: 'docs/missing.md', line: 1 },
      { target: './ref.md', line: 6 },
    ]);
  });

  it("README's links work on the npm package page: absolute, or to README's own headings", () => {
    const readme = readMarkdown('README.md');
    const relativeLinks = links(readme).filter(({ target }) => !/^(https?:|mailto:|#)/.test(target));
    expect(relativeLinks).toEqual([]);
    const own = anchors(readme);
    expect(links(readme).filter(({ target }) => target.startsWith('#') && !own.has(target.slice(1)))).toEqual([]);
  });

  it('README is a package page of about 300 lines at most', () => {
    expect(readMarkdown('README.md').split('\n').length).toBeLessThanOrEqual(300);
  });

  it('README and docs/ carry no internal issue numbers and no pass/fail target tables', () => {
    const documents = files.filter((path) => path === 'README.md' || path.startsWith('docs/'));
    const findings = documents.flatMap((path) =>
      prose(readMarkdown(path))
        .split('\n')
        .flatMap((line, index) => {
          const where = `${path}:${index + 1}`;
          const found: string[] = [];
          if (/(^|[\s(])#\d+\b/.test(line) || /\bissue #?\d+\b/i.test(line))
            found.push(`${where}: an issue number: ${line.trim()}`);
          if (/^\|.*\|\s*(met|goal|target)\s*\|/i.test(line)) found.push(`${where}: a target table: ${line.trim()}`);
          return found;
        }),
    );
    expect(findings).toEqual([]);
  });
});
