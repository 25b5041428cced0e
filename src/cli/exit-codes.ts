/**
 * Exit codes of every `rolekit` command (API.md section 3), for scripts:
 * 0 success; 1 refused (an invalid file, or the admin API answered an error;
 * `start`: could not start); 2 usage error; 3 the admin API could not be reached.
 * @module
 */
export const EXIT = {
  ok: 0,
  refused: 1,
  usage: 2,
  unreachable: 3,
} as const;
