// Every subgraph is the same house (README "Layout"): the same folders, resolvers that hand work to
// operations/, and import arrows that never run back to where they started (type imports included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from './harness/processes';

const SUBGRAPHS = ['users', 'loans', 'bids', 'repayments', 'depository'] as const;
const LAYOUT = ['domain', 'entities', 'graphql', 'migrations', 'operations', 'index.ts', 'main.ts', 'services.ts'];
/** What only an operation (or a job, a subscription, the agent) does: open a transaction or write rows. */
const WRITES = /\.(transactional|nativeUpdate|nativeDelete|insert|insertMany|upsert|upsertMany|persist|flush)\(/;
const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^;]*?\sfrom\s)?'(\.{1,2}\/[^']+)'/g;

function sourceDirectory(subgraph: string): string {
  return path.join(REPOSITORY_ROOT, 'subgraphs', subgraph, 'src');
}

function typeScriptFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate)) ?? null;
}

/** Each module's relative imports, resolved to files. */
function importGraph(subgraph: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of typeScriptFiles(sourceDirectory(subgraph))) {
    const source = fs.readFileSync(file, 'utf8');
    const targets = [...source.matchAll(RELATIVE_IMPORT)].map((match) => resolveImport(file, match[1]));
    graph.set(
      file,
      targets.filter((target): target is string => target !== null),
    );
  }
  return graph;
}

/** One import circle as the modules on it, or null; depth-first, each module finished once. */
function findCircle(graph: Map<string, string[]>): string[] | null {
  const finished = new Set<string>();
  const onPath: string[] = [];
  const visit = (module: string): string[] | null => {
    const at = onPath.indexOf(module);
    if (at >= 0) return [...onPath.slice(at), module];
    if (finished.has(module)) return null;
    onPath.push(module);
    for (const target of graph.get(module) ?? []) {
      const circle = visit(target);
      if (circle !== null) return circle;
    }
    onPath.pop();
    finished.add(module);
    return null;
  };
  for (const module of graph.keys()) {
    const circle = visit(module);
    if (circle !== null) return circle;
  }
  return null;
}

for (const subgraph of SUBGRAPHS) {
  test(`${subgraph}: src holds ${LAYOUT.join(', ')}`, () => {
    const present = fs.readdirSync(sourceDirectory(subgraph));
    assert.deepEqual(
      LAYOUT.filter((name) => !present.includes(name)),
      [],
    );
  });

  test(`${subgraph}: no import circle between its modules`, () => {
    const circle = findCircle(importGraph(subgraph));
    const relative = circle?.map((file) => path.relative(sourceDirectory(subgraph), file));
    assert.equal(relative?.join(' → ') ?? null, null);
  });

  test(`${subgraph}: resolvers open no transaction and write no row (operations/ does)`, () => {
    const writers = typeScriptFiles(path.join(sourceDirectory(subgraph), 'graphql'))
      .filter((file) => WRITES.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.basename(file));
    assert.deepEqual(writers, []);
  });
}
