// What SQLite says of a damaged file (integrity_check rows, its error text) is for IT, never for the
// sentence a person reads (DB_CORRUPT, BACKUP_DAMAGED say what happened and what to do). It travels
// as the error's `sqlite` parameter to the command line's JSON, doctor's bundle and the log, so it is
// made to fit the log's `sqlite` field (src/log/fields.ts): printable ASCII, bounded, no long runs.
const SQLITE_MAX = 240;

/** Lines of SQLite's text made to fit the log's `sqlite` field (what does not fit is cut or masked, not dropped). */
export function sqliteWords(lines: readonly string[]): string {
  const text = lines
    .slice(0, 3)
    .join('; ')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\d{10,}/g, '#')
    .replace(/[A-Za-z0-9+/=-]{24,}/g, '#')
    .replace(/@/g, ' ')
    .slice(0, SQLITE_MAX);
  return /[A-Za-z]{4}/.test(text) ? text : 'damaged';
}
