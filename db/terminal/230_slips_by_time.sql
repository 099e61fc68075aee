-- Schema 230: the desk's 今日业务 lists the day's sign-ups and lost-card replacements from their slips
-- (print jobs with no operation: kind 'memberJoined' or 'cardReplaced'), and 补打 finds one by its id.
-- Both read the last few days of op-less jobs; this keeps that a range scan as print_jobs grows.
CREATE INDEX print_jobs_no_op ON print_jobs(created_at) WHERE op_id IS NULL;
