import type { WasmArena } from './store/arena';
import type { ClassRows } from './store/class-rows';
import { extendSpace, fitSpace, releaseSpace, type FittedSpace, type Scratch } from './store/fitted-space';

interface Fitted {
  /** The classes it was fitted to, in vote order: a class cleared or replaced is a new ClassRows. */
  readonly classes: readonly ClassRows[];
  readonly space: FittedSpace;
  /** False once rows were appended with the parameters of the fit rather than fitted again. */
  exact: boolean;
}

export interface Ready {
  readonly space: FittedSpace;
  /** The classes the space holds, in its order. */
  readonly rows: readonly ClassRows[];
}

/** The store as the fits see it, read afresh at each step: a fit outlives awaits during which the store changes. */
export interface FitHost {
  /** Null once the store let its memory go. */
  arena(): WasmArena | null;
  scratch(): Scratch | null;
  disposed(): boolean;
  /** Whether `rows` still holds a class's examples (not cleared or replaced). */
  isLive(rows: ClassRows): boolean;
  /** Told when a fit exactly of the rows as they are was swapped in (one worth keeping with them). */
  fitted(): void;
}

function sameClasses(a: readonly ClassRows[], b: readonly ClassRows[]): boolean {
  return a.length === b.length && a.every((rows, i) => rows === b[i]);
}

/**
 * The k-NN store's fitted space and the fit that may be running. Fitting costs about (examples) x dim x 256
 * multiplications, too much for every frame of a recording, so: rows appended since the fit (a recording, one per
 * frame) get the parameters of that fit; once a predict finds nothing appended since the one before (the recording
 * is over), the space is fitted again in the background, slice by slice, and swapped in when done. Any other change
 * (a class cleared, replaced or added) is fitted before answering.
 */
export class SpaceFits {
  private fitted: Fitted | null = null;
  /** The fit running, if any: awaited by a predict that needs it, else finished in the background. */
  private refit: { readonly classes: readonly ClassRows[]; done: Promise<void> } | null = null;

  /** Fits run to their end so far (not counting spaces put back with install). */
  fitsRun = 0;

  constructor(private readonly host: FitHost) {}

  /** Bytes of the fitted space's per-row factors. */
  get factorBytes(): number {
    return this.fitted ? 4 * this.fitted.space.rowFactors.reduce((n, f) => n + f.length, 0) : 0;
  }

  /** The fitted space for `rows` (every class with examples, in vote order) if one is ready, else null (see fit). */
  ready(rows: readonly ClassRows[]): Ready | null {
    const fitted = this.fitted;
    if (!fitted || !sameClasses(fitted.classes, rows)) return null;
    let appended = false;
    rows.forEach((r, c) => {
      if (r.count > fitted.space.counts[c]) {
        extendSpace(this.host.arena()!, this.host.scratch()!, fitted.space, c, r);
        appended = true;
      }
    });
    if (appended) fitted.exact = false;
    else if (!fitted.exact && !this.refit) void this.start(rows).catch(() => undefined);
    return { space: fitted.space, rows };
  }

  /** Waits for a fit of `rows`, less any class cleared or replaced meanwhile; null when none is left. */
  async fit(rows: readonly ClassRows[]): Promise<Ready | null> {
    const running = this.refit;
    await (running && sameClasses(running.classes, rows) ? running.done : this.start(rows));
    const live = rows.filter((r) => this.host.isLive(r));
    return live.length > 0 ? (this.ready(live) ?? this.fit(live)) : null;
  }

  /** The fitted space if it is exactly that of its classes' rows as they are (nothing appended since), else null. */
  exact(): Ready | null {
    const fitted = this.fitted;
    if (!fitted?.exact || fitted.classes.some((r, c) => r.count !== fitted.space.counts[c] || !this.host.isLive(r))) return null;
    return { space: fitted.space, rows: fitted.classes };
  }

  /** Makes `space`, fitted exactly to `rows` (a fit put back from storage), the fitted space; a fit running gives up. */
  install(rows: readonly ClassRows[], space: FittedSpace): void {
    this.refit = null;
    this.drop();
    this.fitted = { classes: rows, space, exact: true };
  }

  /** Resolves once no fit is running (one starts in the background when a recording ends). */
  async settled(): Promise<void> {
    while (this.refit) await this.refit.done.catch(() => undefined);
  }

  /** Lets the fitted space go; a fit still running carries on unless the host makes it give up. */
  drop(): void {
    const arena = this.host.arena();
    const scratch = this.host.scratch();
    if (this.fitted && arena && scratch) releaseSpace(arena, scratch, this.fitted.space);
    this.fitted = null;
  }

  /** Fits `rows` slice by slice; a newer fit, or a class of these cleared or replaced, makes it give up. */
  private start(rows: readonly ClassRows[]): Promise<void> {
    const arena = this.host.arena()!;
    const scratch = this.host.scratch()!;
    const entry: { readonly classes: readonly ClassRows[]; done: Promise<void> } = { classes: rows, done: Promise.resolve() };
    const wanted = (): boolean => !this.host.disposed() && this.refit === entry && rows.every((r) => this.host.isLive(r));
    this.refit = entry;
    entry.done = fitSpace(arena, scratch, rows, wanted)
      .then((space) => {
        if (!space) return;
        if (!wanted()) {
          releaseSpace(arena, scratch, space);
          return;
        }
        let exact = true;
        rows.forEach((r, c) => {
          if (r.count > space.counts[c]) {
            extendSpace(arena, scratch, space, c, r);
            exact = false;
          }
        });
        this.drop();
        this.fitted = { classes: rows, space, exact };
        this.fitsRun++;
        if (exact) this.host.fitted();
      })
      .finally(() => {
        if (this.refit === entry) this.refit = null;
      });
    return entry.done;
  }
}
