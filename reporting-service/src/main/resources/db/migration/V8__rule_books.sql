-- Rule books. Every insight and balance says which version of rules.json judged it. Coaches and exports see one
-- version at a time, the active one; a new version is stored beside it while ./thrustline reprocess derives it from
-- the retained events ('building'), and becomes active in one transaction once complete, so no coach ever sees
-- neither or both. What was stored before versions existed was judged by the first book; on a fresh database the
-- first book to arrive becomes active (RuleBookRepository.register).
create table rule_books (
    version       integer     primary key,
    state         text        not null check (state in ('building', 'active', 'retired')),
    first_seen_at timestamptz not null default now(),
    activated_at  timestamptz
);
create unique index one_active_rule_book on rule_books (state) where state = 'active';
insert into rule_books (version, state, activated_at)
select 1, 'active', now() where exists (select 1 from insights) or exists (select 1 from session_balances);

create function active_rule_book() returns integer language sql stable
    as $$ select version from rule_books where state = 'active' $$;

alter table insights add column rule_book integer not null default 1;
alter table insights drop constraint insights_pkey, add primary key (rule_book, insight_id);
alter table session_balances add column rule_book integer not null default 1;
alter table session_balances drop constraint session_balances_pkey, add primary key (rule_book, athlete_id, session_id, exercise);

-- The notifier's latest copy of each insight of a book being built. Nothing of a book is announced while it is
-- built; the switch announces these (what changed since the old book), and the notifier carries on from there.
create table held_announcements (
    rule_book  integer not null,
    insight_id uuid    not null,
    insight    bytea   not null,
    primary key (rule_book, insight_id)
);
