-- Incremental research pulls. Every row records the transaction that last stored or changed it (xid8, which never
-- wraps around), so an export can return everything that reached PostgreSQL since an earlier pull, however late a
-- device synced. Withdrawn insights are kept and marked, so a pull sees the withdrawal instead of a gap.
alter table insights add column retracted_at timestamptz;
alter table insights add column changed_xid xid8 not null default pg_current_xact_id();
alter table sets add column changed_xid xid8 not null default pg_current_xact_id();
alter table session_balances add column changed_xid xid8 not null default pg_current_xact_id();
create index insights_by_change on insights (changed_xid);
create index sets_by_change on sets (changed_xid);
create index balances_by_change on session_balances (changed_xid);
