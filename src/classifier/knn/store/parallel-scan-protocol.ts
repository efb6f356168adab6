/**
 * The control block the scan worker shares with the thread that scans with it (the page, or the vote worker): i32
 * slots from its start. A scan's tasks are listed in it; each thread takes one by subtracting 1 from `left` (the task
 * is the number left after it, counted from the list's end), until that is below 0, and counts each task it has
 * finished in `done`. Between scans `left` is 0 or below, so a worker woken late takes no task of a list still being
 * written. `ready` is 1 while the scan worker takes tasks.
 */
export const CONTROL = { sequence: 0, left: 1, done: 2, stride: 3, query: 4, ready: 5, first: 6 } as const;

/** Tasks the block lists at most; the thread that lists them scans any beyond them itself. */
export const MAX_TASKS = 1024;

export const CONTROL_BYTES = 4 * (CONTROL.first + 3 * MAX_TASKS);
