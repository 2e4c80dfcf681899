-- GET /faults lists the newest faults of the whole fleet: one index scan, not one per device.
CREATE INDEX faults_recent ON faults (created_at DESC, id DESC);
