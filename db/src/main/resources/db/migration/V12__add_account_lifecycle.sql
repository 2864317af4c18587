-- Account lifecycle: ACTIVE -> PENDING_SUSPENSION (end time passed, grace period) -> SUSPENDED -> removed.
-- 'active' stays the switch token issuance reads; the state says where the account is in its lifecycle.
ALTER TABLE account ADD COLUMN lifecycle_state VARCHAR(24) DEFAULT 'ACTIVE' NOT NULL;
ALTER TABLE account ADD COLUMN state_changed_at TIMESTAMP WITH TIME ZONE;
