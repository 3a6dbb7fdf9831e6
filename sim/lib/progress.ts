/**
 * A progress bar on stderr when it is a terminal: simulated days, events and
 * rate. Silent otherwise (pipes, CI, --json). Wall time is only read here, in
 * the CLI, never in the simulation.
 */
const MS_PER_DAY = 86_400_000;

export type ProgressFn = (events: number, nowMs: number, endMs: number) => void;

export function progressBar(
  enabled: boolean,
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { tick?: ProgressFn; done(): void } {
  if (!enabled || !stream.isTTY) return { done: () => undefined };
  const startMs = performance.now();
  let drawn = false;
  const tick: ProgressFn = (events, nowMs, endMs) => {
    const share = Math.min(1, nowMs / endMs);
    const width = 30;
    const filled = Math.round(share * width);
    const seconds = (performance.now() - startMs) / 1000;
    const rate = seconds > 0 ? Math.round(events / seconds).toLocaleString('en-US') : '…';
    const day = `day ${Math.floor(nowMs / MS_PER_DAY)}/${Math.round(endMs / MS_PER_DAY)}`;
    stream.write(
      `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${day}  ${events.toLocaleString('en-US')} events  ${rate}/s `,
    );
    drawn = true;
  };
  return {
    tick,
    done: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
