/** Command-line options that more than one command takes, so each is declared once. */

/** Commander's parser for a repeatable option: every use adds its value to the list (start it with `[]`). */
export const repeatable = (value: string, previous: string[]): string[] => [...previous, value];

/** The --scorers-dir option of the commands that discover scorers (see `scorerDirs`). */
export const SCORERS_DIR_OPTION = ["--scorers-dir <dir>", "another directory of scorer plugins (repeatable)", repeatable, [] as string[]] as const;

/**
 * Commander's parser for a numeric option: a number within `bounds`, or an error naming the flag and what to give.
 * Empty text is refused (Number("") is 0, so an unset shell variable would have passed as 0).
 */
export function numberOption(flag: string, bounds: {integer?: boolean; min?: number; max?: number} = {}): (text: string) => number {
  const kind = bounds.integer ? "a whole number" : "a number";
  const range =
    bounds.min !== undefined && bounds.max !== undefined
      ? ` from ${bounds.min} to ${bounds.max}`
      : bounds.min !== undefined
        ? ` of at least ${bounds.min}`
        : bounds.max !== undefined
          ? ` of at most ${bounds.max}`
          : "";
  return (text) => {
    const n = text.trim() === "" ? NaN : Number(text);
    const fits = Number.isFinite(n) && (!bounds.integer || Number.isInteger(n)) && !(n < (bounds.min ?? -Infinity)) && !(n > (bounds.max ?? Infinity));
    if (!fits) throw new Error(`${flag} ${JSON.stringify(text)}: give ${kind}${range}`);
    return n;
  };
}
