/** Command-line options that more than one command takes, so each is declared once. */

/** Commander's parser for a repeatable option: every use adds its value to the list (start it with `[]`). */
export const repeatable = (value: string, previous: string[]): string[] => [...previous, value];

/** The --scorers-dir option of the commands that discover scorers (see `scorerDirs`). */
export const SCORERS_DIR_OPTION = ["--scorers-dir <dir>", "another directory of scorer plugins (repeatable)", repeatable, [] as string[]] as const;
