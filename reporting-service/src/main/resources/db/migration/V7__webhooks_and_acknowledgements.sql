-- Coaches acknowledge insights: the open-alert counts leave acknowledged ones out. The comment is the coach's own
-- note and never leaves through a research export.
alter table insights add column acknowledged_at timestamptz;
alter table insights add column acknowledged_by text;
alter table insights add column ack_comment text;

-- Receivers an admin registered. coach_id null means every athlete; otherwise that coach's roster at the time an
-- insight arrives. The secret signs each delivery, so it is kept; the API never shows it again after creation.
-- The lane columns let one reporting instance at a time deliver to a receiver, so several instances never post
-- the same delivery at once and a receiver sees its deliveries in order.
create table webhooks (
    webhook_id       uuid        primary key,
    url              text        not null,
    secret           text        not null,
    coach_id         text,
    min_severity     text        not null check (min_severity in ('INFO', 'WARNING', 'ALERT')),
    created_at       timestamptz not null default now(),
    deleted_at       timestamptz,
    lane_owner       text,
    lane_lease_until timestamptz
);

-- The notifier's view of each insight: the version it last announced and a hash of what that version said, so a
-- copy read again (a replay, a re-judgement that changed nothing) is not announced twice.
create table insight_versions (
    insight_id   uuid    primary key,
    version      integer not null,
    content_hash bytea   not null,
    severity     text    not null
);

-- One row per insight version per receiver: the outbox the dispatcher works through, and the delivery history
-- GET /v1/webhooks/{id}/deliveries shows. payload is the exact body signed and sent on every attempt.
create table webhook_deliveries (
    delivery_id     bigint      generated always as identity primary key,
    webhook_id      uuid        not null references webhooks,
    message_id      text        not null,
    insight_id      uuid        not null,
    event_type      text        not null,
    payload         text        not null,
    status          text        not null default 'pending' check (status in ('pending', 'delivered', 'dead', 'cancelled')),
    attempts        integer     not null default 0,
    created_at      timestamptz not null default now(),
    next_attempt_at timestamptz not null default now(),
    last_attempt_at timestamptz,
    last_response   integer,
    last_error      text,
    delivered_at    timestamptz,
    unique (webhook_id, message_id)
);
create index deliveries_pending on webhook_deliveries (webhook_id, delivery_id) where status = 'pending';
create index deliveries_by_webhook on webhook_deliveries (webhook_id, delivery_id desc);
