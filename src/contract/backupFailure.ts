// Why a backup could not be made, as a closed list (docs/backup.md): the raw cause (ENOSPC, EACCES,
// SQLITE_FULL…) is English and can name a path, so only one of these is kept, shown or sent; each
// has a sentence in every language (error.backupCause in src/i18n).
import { z } from 'zod';

export const BACKUP_FAILURE_CAUSES = ['disk_full', 'no_permission', 'read_only', 'not_found', 'busy', 'other'] as const;
export const backupFailureCauseSchema = z.enum(BACKUP_FAILURE_CAUSES);
export type BackupFailureCause = z.infer<typeof backupFailureCauseSchema>;
