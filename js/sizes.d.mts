/** A file's size raw and after gzip -9. */
export interface Bytes {
  readonly raw: number;
  readonly gzip: number;
}

/** The files one entry loads, each measured, and their sums. */
export interface EntrySize extends Bytes {
  readonly files: readonly (Bytes & { readonly path: string })[];
}

export function measure(bytes: Uint8Array): Bytes;

/** `inline`: the default entry; `lean`: `ask-seer-polling/bundler`. */
export function entrySizes(pkgDir: string): { readonly inline: EntrySize; readonly lean: EntrySize };
