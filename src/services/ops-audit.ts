/**
 * Writing one operations action to the audit log, the same way everywhere it is carried out.
 *
 * @module
 */
import { loggableError } from '../domain/loggable-error.ts';
import type { AuditLog, AuditRecord } from '../ports/audit-log.ts';
import type { Logger } from '../ports/logger.ts';

/**
 * Appends `record`. The action has happened by then: a log that cannot be written to (Redis away)
 * does not undo or fail it; the error line carries the record instead, so it is not lost.
 */
export async function auditAction(audit: AuditLog, record: AuditRecord, log: Logger): Promise<void> {
  try {
    await audit.append(record);
  } catch (error) {
    log.error('the audit log could not be written; this line is the record', { audit: record, err: loggableError(error) });
  }
}
