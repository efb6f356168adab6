/**
 * The forms "Export examples" offers. Exact is the default: the file gives back the very bits, so predictions after
 * a round trip are identical. The compact forms round each number (docs/dataset-format.md, "Compact files", has
 * their sizes and what the rounding does to accuracy on real photos).
 */
import type { VectorEncoding } from './vector-encoding';

export type ExportFormat = 'exact' | 'half' | 'small';

export const EXPORT_FORMATS: Readonly<Record<ExportFormat, { readonly name: string; readonly encoding: VectorEncoding; readonly gzip: boolean; readonly extension: string }>> = {
  exact: { name: 'exact, float32', encoding: 'float32', gzip: false, extension: '.json' },
  half: { name: 'compact, float16', encoding: 'float16', gzip: false, extension: '.json' },
  small: { name: 'smallest, 8-bit and gzip', encoding: 'int8', gzip: true, extension: '.json.gz' },
};

export const isExportFormat = (value: unknown): value is ExportFormat => typeof value === 'string' && Object.hasOwn(EXPORT_FORMATS, value);
