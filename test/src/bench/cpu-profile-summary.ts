// Where a process's CPU went during a benchmark's measured span: reads V8 CPU profiles (`--cpu-prof`, as
// the benchmarks write them under BENCH_PROFILE_DIR), keeps the samples between two monotonic times in µs
// (the span a benchmark prints; V8 stamps samples with the same clock) and prints the busy share of the
// span by package (self time), then the top functions by self time, then the project's own functions by
// inclusive time (what they and everything they call cost).
//
// Run:  node test/dist/bench/cpu-profile-summary.js <profile file or folder> [<from µs> <to µs>] [<top>]
import fs from 'node:fs';
import path from 'node:path';

const TOP_DEFAULT = 15;
/** V8's pseudo-frames: not code, shown as they are. */
const IDLE_FRAMES = new Set(['(idle)']);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, the project's package (its folder under the repository), node internals, or V8's own. */
function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (modules !== null) return modules[1];
  const own = /\/(infra\/platform|subgraphs\/[^/]+|gateway)\/dist\//.exec(url);
  if (own !== null) return own[1];
  return url.startsWith('node:') ? 'node' : url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${file}`;
}

function top(counts: Map<string, number>, total: number, limit: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, count]) => `  ${((count / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
}

function summarize(file: string, fromUs: number, toUs: number, limit: number): string[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfByPackage = new Map<string, number>();
  const selfByFrame = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  let inSpan = 0;
  let busy = 0;
  let atUs = profile.startTime;
  profile.samples.forEach((id, index) => {
    atUs += profile.timeDeltas[index];
    if (atUs < fromUs || atUs > toUs) return;
    inSpan += 1;
    const node = byId.get(id)!;
    if (IDLE_FRAMES.has(node.callFrame.functionName)) return;
    busy += 1;
    const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    add(selfByPackage, packageOf(node.callFrame.url, node.callFrame.functionName));
    add(selfByFrame, frameName(node));
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const frame = byId.get(current)!;
      const name = frameName(frame);
      if (!seen.has(name) && /\/(infra\/platform|subgraphs\/[^/]+|gateway)\/dist\/src\//.test(frame.callFrame.url))
        add(inclusiveOwn, name);
      seen.add(name);
    }
  });
  if (inSpan === 0) return [`${file}: no samples in the span`];
  return [
    `${file}: ${inSpan} samples in the span, busy ${((busy / inSpan) * 100).toFixed(0)} % of them; shares of the busy samples:`,
    'by package (self):',
    ...top(selfByPackage, busy, limit),
    'by function (self):',
    ...top(selfByFrame, busy, limit),
    "the project's functions (inclusive):",
    ...top(inclusiveOwn, busy, limit),
  ];
}

function profileFiles(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs
    .readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(target, name));
}

function main(): void {
  const [target, from, to, limit] = process.argv.slice(2);
  if (target === undefined)
    throw new Error('usage: cpu-profile-summary <profile file or folder> [<from µs> <to µs>] [<top>]');
  for (const file of profileFiles(target)) {
    console.log(
      summarize(
        file,
        from === undefined ? 0 : Number(from),
        to === undefined ? Infinity : Number(to),
        limit === undefined ? TOP_DEFAULT : Number(limit),
      ).join('\n'),
      '\n',
    );
  }
}

main();
