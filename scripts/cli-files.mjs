// The file side of the command lines that bundle a TypeScript CLI and run it here (scripts/dataset.mjs and
// scripts/predict.mjs): Node's errors as plain sentences, and the file access and output their CLI is given.
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';

/** Node's messages start with the code ("ENOENT: no such file or directory, open 'x'"); keep the words. */
export const plain = (error) => new Error(String(error?.message ?? error).replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, ''));

/** Sizes, whole reads, writes through a temporary file (so a failed write leaves no half file), stdout and stderr. */
export const fileIo = {
  fileSize: (path) => stat(path).then((s) => s.size, (e) => Promise.reject(plain(e))),
  readFile: (path) => readFile(path).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength), (e) => Promise.reject(plain(e))),
  async writeFile(path, text) {
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, text);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw plain(error);
    }
  },
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
