/**
 * The layer rule of lib/, checked: a folder imports only folders of a lower layer (and itself).
 * Run by `npm run lint`. Add a folder to LAYERS when you create one; an unknown folder fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = fileURLToPath(new URL('../lib/', import.meta.url));

/** Bottom to top. Folders on one line form one layer and may not import each other. */
export const LAYERS = [
  ['common'],
  ['zlib', 'tagged-json', 'cookie'],
  ['itsdangerous'],
  ['encryption', 'config'],
  ['sessions'],
  ['flash', 'redis'],
  ['flask-session'],
  ['http'],
  ['platform/express', 'platform/fastify'],
  ['contexts'],
  ['interfaces'],
  ['.'],
  ['csrf', 'flask-login'],
  ['testing'],
];

const rank = new Map(LAYERS.flatMap((folders, index) => folders.map((folder) => [folder, index])));

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (entry.endsWith('.ts')) yield full;
  }
}

const folderOf = (file) => path.relative(LIB, path.dirname(file)).split(path.sep).join('/') || '.';
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function findViolations(libDir = LIB) {
  const problems = [];
  for (const file of sourceFiles(libDir)) {
    const from = folderOf(file);
    const fromRank = rank.get(from);
    const name = path.relative(libDir, file);
    if (fromRank === undefined) {
      problems.push(`${name}: folder '${from}' is not in scripts/check-layers.mjs LAYERS`);
      continue;
    }
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      const target = folderOf(path.resolve(path.dirname(file), spec));
      if (target === from) continue;
      const targetRank = rank.get(target);
      if (targetRank === undefined) problems.push(`${name}: imports '${spec}', outside the known layers`);
      else if (targetRank >= fromRank) {
        const how = targetRank === fromRank ? 'a folder of the same layer' : 'a higher layer';
        problems.push(`${name}: imports '${spec}' (${target}), ${how} than ${from}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = findViolations();
  if (problems.length > 0) {
    console.error(`Layer check: ${problems.length} upward import(s) in lib/ (see LAYERS in scripts/check-layers.mjs):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(`Layer check: lib/ imports only downward (${LAYERS.length} layers).`);
}
