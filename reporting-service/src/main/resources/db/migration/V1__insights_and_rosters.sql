-- Insights raised by streams-processor. insight_id is deterministic, so a re-emitted insight replaces its row.
create table insights (
    insight_id       uuid        primary key,
    athlete_id       text        not null,
    session_id       text        not null,
    rule             text        not null,
    severity         text        not null check (severity in ('INFO', 'WARNING', 'ALERT')),
    exercise         text,
    side             text        check (side in ('LEFT', 'RIGHT', 'BOTH')),
    detected_at      timestamptz not null,
    metrics          jsonb       not null default '{}'::jsonb,
    message          text        not null,
    advice           text        not null,
    trigger_event_id text,
    stored_at        timestamptz not null default now()
);

-- The coach's feed: newest first, one athlete at a time, keyset-paginated.
create index insights_by_athlete on insights (athlete_id, detected_at desc, insight_id desc);

-- Which athletes each coach may see. Maintained by admins through PUT /v1/coaches/{coachId}/athletes.
create table coach_athletes (
    coach_id   text not null,
    athlete_id text not null,
    primary key (coach_id, athlete_id)
);
