"""Stored events and snapshots compressed with zlib and a preset dictionary (issue 20:
bytes on disk per posting).

An event is a kilobyte or two of JSON whose keys and shapes repeat from event to
event; zlib alone sees each event on its own, so a preset dictionary of typical events
(made by tools/compression_dictionary.py) lets it refer to them instead. A stream names
its dictionary by its Adler-32 checksum (zlib's FDICT header), so every dictionary
ever used stays readable, and so do streams without one and stores written before
compression (a zlib stream starts with 0x78, a stored JSON object with `{`).
"""
from __future__ import annotations

import zlib
from pathlib import Path

from eventsourcing.compressor import ZlibCompressor

DICTIONARIES = {zlib.adler32(data): data for data in (
    path.read_bytes() for path in sorted((Path(__file__).parent / "dictionaries").glob("v*.zdict")))}
CURRENT = (Path(__file__).parent / "dictionaries" / "v2.zdict").read_bytes()  # < 8 KB
FDICT = 0x20


class ZlibOrPlain(ZlibCompressor):
    def compress(self, data: bytes) -> bytes:
        """An 8 KB window (wbits 13) holds the dictionary and reaches it from any event,
        and starting small tables for it (memLevel 6) is most of a posting's compression
        time; level 6, zlib's default (docs/performance.md has the figures)."""
        compressor = zlib.compressobj(6, zlib.DEFLATED, 13, 6, zlib.Z_DEFAULT_STRATEGY, CURRENT)
        return compressor.compress(data) + compressor.flush()

    def decompress(self, data: bytes) -> bytes:
        if data[:1] == b"{":
            return data
        if not data[1] & FDICT:
            return zlib.decompress(data)
        decompressor = zlib.decompressobj(zdict=DICTIONARIES[int.from_bytes(data[2:6], "big")])
        return decompressor.decompress(data) + decompressor.flush()
