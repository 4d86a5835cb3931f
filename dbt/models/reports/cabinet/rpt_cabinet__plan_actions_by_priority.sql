-- Council Plan actions progress by priority (rules.md "Council Plan actions": count of
-- actions by status, for the quarter; an action past its due date and not complete
-- counts as `overdue`, whatever its status - marts.plan_action_progress.reported_status
-- holds that). One row per line of the pack's table: priorities by name (ignoring
-- case), then the 'All priorities' total line. `total` counts every action of the line,
-- so a status outside the six would show as a total that does not add up (data test).
-- The mart has no public/restricted marking today; were one added, a row marked not
-- public must be left out here (rules.md "Publication and disclosure control").

{{ counts_per_line_with_total(
    rows=ref('plan_action_progress'),
    group_by='priority',
    name='priority',
    name_column='priority',
    order_by='lower(priority) collate "C", priority collate "C"',
    counted='reported_status',
    categories=['complete', 'on track', 'at risk', 'off track', 'not started', 'overdue'],
    total_name='All priorities',
) }}
