// Which code the main thread's long tasks ran, from a Chromium trace taken with puppeteer's page.tracing and the
// sampling profiler's category: for each top-level task of the renderer's main thread longer than `over` ms, its
// length and the functions its samples fell in (self time and time under each function, from the stacks).
// Used by app-scale-storage.mjs's --trace; also runnable on a saved trace:  node bench/trace-tasks.mjs FILE [over]
import { readFileSync } from 'node:fs';

/** The categories to trace with: top-level tasks and the CPU profile's samples. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];

/** The renderer main thread: the (pid, tid) of the thread named CrRendererMain that ran the most task time. */
function mainThread(events) {
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best = null;
  let bestTime = -1;
  for (const n of names) {
    const time = events.filter((e) => e.pid === n.pid && e.tid === n.tid && e.name === 'RunTask' && e.ph === 'X').reduce((s, e) => s + e.dur, 0);
    if (time > bestTime) [best, bestTime] = [n, time];
  }
  return best;
}

/** The samples of the CPU profile on that thread: [{ ts (µs, trace clock), stack: [function names, leaf last] }]. */
function samplesOf(events, thread) {
  const nodes = new Map();
  const samples = [];
  // A thread's Profile event names its id; its chunks carry that id (from the sampler's thread).
  const profiles = new Map(events.filter((e) => e.name === 'Profile' && e.pid === thread.pid && e.tid === thread.tid).map((e) => [e.id, e]));
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === thread.pid && profiles.has(e.id));
  const clock = new Map();
  for (const chunk of chunks) {
    const data = chunk.args?.data;
    if (!data) continue;
    for (const node of data.cpuProfile?.nodes ?? []) {
      const frame = node.callFrame ?? {};
      const where = frame.url ? `${frame.url.split('/').pop()}:${(frame.lineNumber ?? 0) + 1}` : '';
      nodes.set(`${chunk.id}:${node.id}`, { parent: node.parent === undefined ? null : `${chunk.id}:${node.parent}`, name: `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}` });
    }
    let ts = clock.get(chunk.id) ?? profiles.get(chunk.id)?.args?.data?.startTime ?? chunk.ts;
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    ids.forEach((id, i) => {
      ts += deltas[i] ?? 0;
      samples.push({ ts, key: `${chunk.id}:${id}` });
    });
    clock.set(chunk.id, ts);
  }
  const stackOf = (key) => {
    const stack = [];
    for (let at = key; at && nodes.has(at); at = nodes.get(at).parent) stack.push(nodes.get(at).name);
    return stack.reverse();
  };
  return samples.map((s) => ({ ts: s.ts, stack: stackOf(s.key) }));
}

const SKIP = new Set(['(root)', '(program)', '(idle)']);

/** Long top-level tasks of the main thread, each with its top self and total functions by samples (ms). */
export function longTasks(trace, over = 50, top = 8) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const thread = mainThread(events);
  if (!thread) return [];
  const tasks = events
    .filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.name === 'RunTask' && e.ph === 'X' && e.dur / 1000 > over)
    .sort((a, b) => a.ts - b.ts);
  const samples = samplesOf(events, thread);
  const first = events.filter((e) => e.pid === thread.pid && e.ph === 'X').reduce((m, e) => Math.min(m, e.ts), Infinity);
  return tasks.map((task) => {
    const inside = samples.filter((s) => s.ts >= task.ts && s.ts <= task.ts + task.dur);
    const perSample = inside.length > 0 ? task.dur / 1000 / inside.length : 0;
    const self = new Map();
    const total = new Map();
    for (const { stack } of inside) {
      const names = stack.filter((n) => !SKIP.has(n.split(' ')[0]));
      const leaf = names.at(-1) ?? '(no JS)';
      self.set(leaf, (self.get(leaf) ?? 0) + perSample);
      for (const name of new Set(names)) total.set(name, (total.get(name) ?? 0) + perSample);
    }
    const best = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${ms.toFixed(0)} ms ${name}`);
    return { at_ms: Math.round((task.ts - first) / 1000), ms: Math.round(task.dur / 1000), samples: inside.length, self: best(self), total: best(total) };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, over = '50'] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(longTasks(JSON.parse(readFileSync(file, 'utf8')), Number(over)), null, 2)}\n`);
}
