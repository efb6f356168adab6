/** Dataset files: the format, its reader and writer. DOM-free, so the command line runs the same code. */
export * from './types';
export { DATASET_LIMITS, type DatasetLimits } from './limits';
export { DatasetError } from './errors';
export { checkFileSize, parseDataset, parseDatasetBytes, readDatasetBytes } from './parse';
export { serializeDataset, serializeDatasetParts, type SerializeOptions } from './serialize';
export { gzip, isGzip } from './gzip';
export { BYTES_PER_NUMBER, isVectorEncoding, VECTOR_ENCODINGS, type VectorEncoding } from './vector-encoding';
export { serializeKnnClassifier } from './write-knn-classifier';
export { describeDataset } from './summary';
export { planImport, type ImportMode, type ImportPlan, type PlannedClass } from './import-plan';
export { decodeFloat32, encodeFloat32 } from './float32-base64';
