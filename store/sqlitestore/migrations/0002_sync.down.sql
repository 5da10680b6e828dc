DROP TABLE backfills;
DROP TABLE webhook_inbox;
DROP TABLE sync_runs;
