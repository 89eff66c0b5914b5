-- A balance whose sides had too few working sets or reps to compare (rules.json, leftRightImbalance.minSetsPerSide and
-- minRepsPerSide). Balances stored before this existed were judged without the floor and are left as they were.
alter table session_balances add column insufficient_data boolean not null default false;
