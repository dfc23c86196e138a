"""eventsourcing's JSON format, encoded by orjson.

The stock encoder spends a Python call on every Decimal (some twenty per event) inside
json's pure-Python iterencode; orjson encodes an event in a fraction of that. The bytes are the same as the stock transcoder's (tested), so stores
written before stay readable, and decoding is the stock one.

orjson writes a UUID as a plain string where the stock encoder tags it (there is no
option to hand UUIDs to `default`): no event or snapshot state of ours holds one, as
originator ids travel beside the state, and a test compares the two encoders' bytes
over a history with every kind of event and a snapshot. Subclasses of str, int and dict
are written as their base type by both.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    Notification,
    StoredEvent,
    UUIDAsHex,
)

from ledger.aggregates.item import CHANGES_VERSION, Item, upcast_changes
from ledger.aggregates.payloads import PlainDecimals, pack, unpack, with_master
from ledger.projections.views import CHANGE_EVENTS, HANDLERS, Change, Decode

OPTIONS = (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
           | orjson.OPT_NON_STR_KEYS)


class OrjsonTranscoder(JSONTranscoder):
    def __init__(self) -> None:
        super().__init__()
        for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
            self.register(transcoding)

    def encode(self, obj: Any) -> bytes:
        """A packed payload's Decimals as their text, any other's tagged as eventsourcing
        tags them."""
        plain = type(obj.get("changes")) is PlainDecimals if type(obj) is dict else False
        return orjson.dumps(obj, default=self._decimal_as_text if plain else
                            self._encode_decimal_first, option=OPTIONS)

    def _decimal_as_text(self, obj: Any) -> Any:
        return str(obj) if type(obj) is Decimal else self._encode_obj(obj)

    def _encode_decimal_first(self, obj: Any) -> dict[str, Any]:
        """A posting's event holds some thirty Decimals, each handed here by orjson: the
        same tag the registered DecimalAsStr gives, without its two method calls."""
        if type(obj) is Decimal:
            return {"_type_": "decimal_str", "_data_": str(obj)}
        return self._encode_obj(obj)


class PayloadMapper(Mapper):
    """Item events stored in their compact layout (ledger.aggregates.payloads.pack) and
    read back as the domain made them, whatever layout they were stored in."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if isinstance(domain_event, Item.Changed):
            packed = object.__new__(type(domain_event))
            object.__setattr__(packed, "__dict__",
                               {**vars(domain_event), "changes": pack(domain_event.changes)})
            domain_event = packed
        return super().to_stored_event(domain_event)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = super().to_domain_event(stored_event)
        if isinstance(domain_event, Item.Changed):
            unpack(domain_event.changes)
        return domain_event


def todays_changes(state: dict[str, Any]) -> dict[str, Any]:
    """An Item event's stored payload in today's layout, its amounts left as stored (the
    exact text, or the tagged text of an earlier layout): what the read models and the
    audit trail read, without decoding every Decimal."""
    changes: dict[str, Any] = state["changes"]
    if state.get("class_version", 1) < CHANGES_VERSION:
        upcast_changes(changes)
    with_master(changes)
    return changes


def projection_decoder(mapper: Mapper) -> Decode:
    """What the read models read of a stored event: an item's or a batch run's change as
    a `Change` (its amounts left as the tagged text, which the projector converts to
    cents itself), None for an event no read model reads, anything else as the domain
    event."""
    plain = mapper.cipher is None
    decompress = mapper.compressor.decompress if mapper.compressor else bytes

    def decode(notification: Notification) -> Any:
        name = notification.topic.rpartition(":")[2]
        if name not in HANDLERS:
            return None
        if plain and name in CHANGE_EVENTS:
            state = orjson.loads(decompress(notification.state))
            return Change(name, notification.originator_version, todays_changes(state))
        originator_id = notification.originator_id
        return mapper.to_domain_event(StoredEvent(
            originator_id=UUID(originator_id) if isinstance(originator_id, str) else originator_id,
            originator_version=notification.originator_version, topic=notification.topic,
            state=notification.state))

    return decode
