"""Pure costing rules (domain.md sections 2 and 3): no I/O, no event store."""
