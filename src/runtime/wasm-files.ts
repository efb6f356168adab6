/**
 * TensorFlow.js's wasm binaries the runtime uses (src/runtime/runtime-backend.ts): SIMD, and the plain build for
 * browsers without it. Not the threaded build: the runtime runs single-threaded. "Export as a web page" puts them in the zip.
 */
export const WASM_FILES = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'] as const;
