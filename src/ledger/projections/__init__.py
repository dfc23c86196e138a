"""Read models fed from the event store, with a tracking position in the same transaction."""
