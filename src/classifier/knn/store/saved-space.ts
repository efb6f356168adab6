/**
 * A fitted space (fitted-space.ts) copied out of the arena as plain arrays, to be kept with the examples, and put
 * back into an arena: the same numbers, so a store given it back votes as the store that fitted it, bit for bit.
 */
import type { WasmArena } from './arena';
import { directionsBytes, type FittedSpace, type Scratch } from './fitted-space';

export interface SpaceData {
  readonly centre: Float64Array;
  readonly scale: Float64Array;
  /** Whitening directions, m rows of `dim` numbers (without the arena's padding). */
  readonly m: number;
  readonly directions: Float32Array;
  readonly rowFactors: readonly Float32Array[];
  readonly counts: readonly number[];
  readonly checksums: readonly number[];
}

/** A copy of `space`'s numbers. */
export function spaceData(arena: WasmArena, scratch: Scratch, space: FittedSpace): SpaceData {
  const { dim, exactStride } = scratch.layout;
  const directions = new Float32Array(space.m * dim);
  const f32 = arena.f32;
  for (let i = 0; i < space.m; i++) {
    const from = (space.directions + i * exactStride) / 4;
    directions.set(f32.subarray(from, from + dim), i * dim);
  }
  return {
    centre: Float64Array.from(space.parameters.centre),
    scale: Float64Array.from(space.parameters.scale),
    m: space.m,
    directions,
    rowFactors: space.rowFactors.map((f, c) => f.slice(0, space.counts[c])),
    counts: [...space.counts],
    checksums: [...space.checksums],
  };
}

/** The space of `data` in `arena` (its directions allocated there, as a fit allocates them); sizes checked by the caller. */
export function spaceFromData(arena: WasmArena, scratch: Scratch, data: SpaceData): FittedSpace {
  const { dim, exactStride } = scratch.layout;
  let directions = 0;
  if (data.m > 0) {
    directions = arena.allocate(directionsBytes(scratch.layout));
    const f32 = arena.f32;
    f32.fill(0, directions / 4, (directions + directionsBytes(scratch.layout)) / 4);
    for (let i = 0; i < data.m; i++) f32.set(data.directions.subarray(i * dim, (i + 1) * dim), (directions + i * exactStride) / 4);
  }
  return {
    parameters: { centre: Float64Array.from(data.centre), scale: Float64Array.from(data.scale) },
    directions,
    m: data.m,
    rowFactors: data.rowFactors.map((f) => Float32Array.from(f)),
    counts: [...data.counts],
    checksums: [...data.checksums],
  };
}
