-- The audit page filters by actor and by target, and each account page shows its latest events: index both, with
-- the id for the newest-first order.
CREATE INDEX audit_event_actor_ix ON audit_event (actor, id);
CREATE INDEX audit_event_target_ix ON audit_event (target, id);
