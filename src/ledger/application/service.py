"""LedgerService: the one object the API and the CLI talk to."""
from __future__ import annotations

from collections.abc import Callable

from ledger.application.batch_job import BatchJob
from ledger.application.posting_commands import PostingCommands
from ledger.application.reads import Reads
from ledger.application.rebuild import rebuild_projections
from ledger.application.setup_commands import SetupCommands
from ledger.application.database_errors import CONNECTION_ERRORS
from ledger.application.store import open_store
from ledger.application.unit_of_work import UnitOfWork
from ledger.application.verify import ProjectionCheck, verify
from ledger.projections.views import Views
from ledger.settings import Settings, persistence


class LedgerService:
    def __init__(self, database_url: str | None = None) -> None:
        settings = Settings()
        url = database_url or settings.database_url
        self.persistence = persistence(url, settings.lock_timeout)
        self.rebuild_in_two_processes_from = settings.rebuild_in_two_processes_from
        self.ledger, db = open_store(self.persistence)
        self.views = Views(db)
        self.uow = UnitOfWork(self.ledger, self.views, self.persistence.sqlite_path,
                              settings.lock_timeout)
        self.uow.catch_up()
        self.setup = SetupCommands(self.uow)
        self.postings = PostingCommands(self.uow, self.setup)
        self.reads = Reads(self.uow)
        self.batch = BatchJob(self.uow, self.setup, settings.batch_chunk_size)

    def verify_projections(self) -> ProjectionCheck:
        """Holds no lock while it rebuilds: postings go on (see ledger.application.verify)."""
        self.uow.catch_up_if_behind()
        return verify(self.ledger, self.views.db)

    def rebuild_projections(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop every read model and build it again from the first event."""
        with self.uow.lock:
            self.views.drop_tables()
            return rebuild_projections(self.ledger, self.views.db, self.persistence,
                                       self.rebuild_in_two_processes_from, progress)

    def database_answers(self) -> bool:
        try:
            self.views.db.scalar("SELECT 1")
            return True
        except CONNECTION_ERRORS:
            return False

    def event_count(self) -> int:
        return self.reads.audit_trail(None, None, 0, None)[1]

    def close(self) -> None:
        self.uow.numbering.close()
        self.views.db.close()
        self.ledger.close()
