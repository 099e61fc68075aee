-- Schema 40: the durable print queue's schedule and what the printer last said.
-- A job stays in print_jobs for good; status moves pending -> printed (or failed after many tries),
-- and `status <> 'printed'` is still what is offered again at start.

-- When the job may be tried again (retry with backoff); NULL means now.
ALTER TABLE print_jobs ADD COLUMN next_attempt_at INTEGER;
-- A worker holds the job until this instant, so two processes never print it at once; a crashed
-- worker's lease simply runs out.
ALTER TABLE print_jobs ADD COLUMN lease_until INTEGER;
-- The printer's state at the last attempt (ready, paper-out, cover-open, offline, not-answering, ...).
ALTER TABLE print_jobs ADD COLUMN printer_status TEXT;
-- The printer address of the last attempt.
ALTER TABLE print_jobs ADD COLUMN printer_uri TEXT;
