-- Every logged set as it arrived on training.events.v1, for exports and the coach's view. Keyed by the
-- sender's eventId, so a replayed or retried event finds its row already there.
create table sets (
    event_id        text             primary key,
    athlete_id      text             not null,
    session_id      text             not null,
    performed_at    timestamptz      not null,
    exercise        text             not null,
    side            text             check (side in ('LEFT', 'RIGHT', 'BOTH')),
    reps            integer          not null,
    load_kg         double precision not null,
    controlled_reps integer,
    rpe             double precision,
    notes           text,
    source          text,
    received_at     timestamptz      not null
);
create index sets_by_time on sets (performed_at);
create index sets_by_athlete on sets (athlete_id, performed_at);

-- Left against right per athlete, session and unilateral exercise; a re-judged session replaces its row.
create table session_balances (
    athlete_id    text             not null,
    session_id    text             not null,
    exercise      text             not null,
    session_date  date             not null,
    left_volume   double precision not null,
    right_volume  double precision not null,
    left_reps     integer          not null,
    right_reps    integer          not null,
    asymmetry_pct double precision not null,
    weaker_side   text             check (weaker_side in ('LEFT', 'RIGHT')),
    loaded        boolean          not null,
    updated_at    timestamptz      not null default now(),
    primary key (athlete_id, session_id, exercise)
);
create index balances_by_athlete on session_balances (athlete_id, exercise, session_date);
create index balances_by_date on session_balances (session_date);
