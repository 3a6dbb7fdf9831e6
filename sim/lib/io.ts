/** Where a command writes: the answer on `out`, everything else (headers, progress, paths written) on `err`. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}
