-- What kind of set it was (the set API's setType). Rows stored before set types existed were working sets.
alter table sets add column set_type text not null default 'WORKING'
    check (set_type in ('WORKING', 'WARMUP', 'DROP', 'FAILURE'));
