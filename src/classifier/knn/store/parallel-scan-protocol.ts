/** The control block the page and the scan worker share (i32 slots from its start). */
export const CONTROL = { sequence: 0, state: 1, tasks: 2, stride: 3, query: 4, first: 5 } as const;

/** The worker's share of a scan: posted by the page, then taken by the worker (running, done) or by the page. */
export const STATE = { idle: 0, posted: 1, running: 2, done: 3, taken: 4 } as const;

/** Tasks the worker's share holds at most. */
export const MAX_WORKER_TASKS = 256;

export const CONTROL_BYTES = 4 * (CONTROL.first + 3 * MAX_WORKER_TASKS);
