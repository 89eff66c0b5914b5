-- Event ids are chosen by the integrations, and athlete ids are qualified by integration ("integration:athlete"):
-- an event is named by both, so two integrations that happen to send the same event id never collide.
-- The first copy of an event stays (the sink inserts with "on conflict do nothing").
alter table sets drop constraint sets_pkey;
alter table sets add primary key (athlete_id, event_id);
