"""How far a batch run started through the API has got: the page that started it asks
while it waits for the run's answer (Business Central's request page shows a progress
dialog). A client names its run with a key of its own choosing; this process keeps the
latest runs' counts in memory, so the question goes to the server that runs it."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class RunProgress:
    done: int
    total: int
    finished: bool = False


class ProgressBoard:
    """The runs of the last while, by key; the oldest are forgotten past `keep`."""

    def __init__(self, keep: int = 100) -> None:
        self.keep = keep
        self.runs: OrderedDict[str, RunProgress] = OrderedDict()
        self.lock = threading.Lock()

    def start(self, key: str, total: int) -> Callable[[int], None]:
        """A run of `total` value entries begins; the answer counts entries as they are read."""
        run = RunProgress(done=0, total=total)
        with self.lock:
            self.runs[key] = run
            self.runs.move_to_end(key)
            while len(self.runs) > self.keep:
                self.runs.popitem(last=False)

        def advance(done: int) -> None:
            run.done = min(run.total, run.done + done)
        return advance

    def finish(self, key: str) -> None:
        with self.lock:
            if key in self.runs:
                self.runs[key].finished = True

    def get(self, key: str) -> RunProgress | None:
        with self.lock:
            return self.runs.get(key)
