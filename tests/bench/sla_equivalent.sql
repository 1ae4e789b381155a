-- The SLA report's work written by hand in SQL, run in the sqlite3 shell as
-- the baseline for `focus sla` (scripts/run-benchmarks). It reads the same
-- tickets and themes and produces the same kind of figures: per team, area,
-- theme and round the tickets, open, answered, answered on time, breached
-- and due soon, the average days to answer, and the breached tickets most
-- overdue first. SQL has no bank-holiday calendar, so the agreed 20 working
-- days are taken as 28 calendar days; `focus sla` counts real working days
-- and takes medians, so this baseline does a little less work than focus.
-- The report date is fixed: 2027-01-15.
.mode list
CREATE TEMP TABLE sla AS
SELECT id, area, team, raised_on, due,
       CASE
         WHEN responded <= '2027-01-15' AND responded <= due THEN 'answered-on-time'
         WHEN responded <= '2027-01-15' THEN 'answered-late'
         WHEN due < '2027-01-15' THEN 'breached'
         WHEN due <= '2027-01-22' THEN 'due-soon'
         ELSE 'on-time'
       END AS status,
       CASE WHEN responded <= '2027-01-15'
            THEN julianday(responded) - julianday(raised_on) END AS days,
       substr(raised_on, 1, 4) || '-r' ||
         ((CAST(substr(raised_on, 6, 2) AS INTEGER) + 2) / 3) AS round
FROM (
  SELECT id, area, team, raised_on,
         min(coalesce(answered_on, '9999-12-31'),
             coalesce(declined_on, '9999-12-31')) AS responded,
         date(raised_on, '+' || (28 + paused_working_days) || ' days') AS due
  FROM tickets
  WHERE state <> 'merged' AND +merged_into IS NULL
    AND raised_on <= '2027-01-15');

-- One grouping per section of the report.
SELECT 'overall', count(*), sum(status IN ('on-time', 'due-soon', 'breached')),
       sum(status IN ('answered-on-time', 'answered-late')),
       sum(status = 'answered-on-time'), sum(status = 'breached'),
       sum(status = 'due-soon'), round(avg(days), 1)
FROM sla;
SELECT 'team', team, count(*), sum(status IN ('on-time', 'due-soon', 'breached')),
       sum(status IN ('answered-on-time', 'answered-late')),
       sum(status = 'answered-on-time'), sum(status = 'breached'),
       sum(status = 'due-soon'), round(avg(days), 1)
FROM sla GROUP BY team;
SELECT 'area', area, count(*), sum(status IN ('on-time', 'due-soon', 'breached')),
       sum(status IN ('answered-on-time', 'answered-late')),
       sum(status = 'answered-on-time'), sum(status = 'breached'),
       sum(status = 'due-soon'), round(avg(days), 1)
FROM sla GROUP BY area;
SELECT 'round', round, count(*), sum(status IN ('on-time', 'due-soon', 'breached')),
       sum(status IN ('answered-on-time', 'answered-late')),
       sum(status = 'answered-on-time'), sum(status = 'breached'),
       sum(status = 'due-soon'), round(avg(days), 1)
FROM sla GROUP BY round;
SELECT 'theme', tt.theme, count(*),
       sum(status IN ('on-time', 'due-soon', 'breached')),
       sum(status IN ('answered-on-time', 'answered-late')),
       sum(status = 'answered-on-time'), sum(status = 'breached'),
       sum(status = 'due-soon'), round(avg(days), 1)
FROM sla JOIN ticket_themes tt ON tt.ticket_id = sla.id GROUP BY tt.theme;

-- The breached and due-soon tickets, soonest due first.
SELECT sla.id, t.title, sla.team, sla.due, sla.status
FROM sla JOIN tickets t ON t.id = sla.id
WHERE sla.status IN ('breached', 'due-soon')
ORDER BY sla.status, sla.due, sla.id;
