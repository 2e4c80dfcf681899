-- cwmp_sessions holds only the leases of sessions in progress (plus those of a crashed
-- process until they run out): a few hundred rows, however many devices there are. Its index
-- on owner served only ReleaseOwner (graceful shutdown), for which a sequential scan of so
-- small a table is as good, while every session paid one more index entry (and its WAL
-- record, and its cleanup) when its lease was inserted. docs/acs-serve.md, "Database work per
-- session".
DROP INDEX IF EXISTS cwmp_sessions_owner;
