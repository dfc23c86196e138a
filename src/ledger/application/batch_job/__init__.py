"""Post Inventory Cost to G/L: the batch job, its preview and its test report.

Reads the unposted value entries from the unposted index (never scanning posted ones),
checks and prices them with the same pure rules automatic posting uses (per posting
group, once per group of entries the database summed for being alike in everything the
rules read: a run's cost goes into writing, not into checking each entry), and saves in
chunks: each chunk is one `Application.save` of the run's register and the items whose
value entries it posts. A chunk is all or nothing, and optimistic concurrency on item
versions (re-checked on retry) means no value entry is ever posted twice.

Per posting group the selection is read twice: once to sum the lines, then, a window at
a time inside each chunk's transaction, to list which entries each summed line covers.
So a run's memory grows with its summed lines, not with its value entries.

The package, a module a part: `reports` (request and report types), `selection` (what
a run reads), `chunks` (what a chunk saves), `per_entry` and `per_posting_group` (the two
posting methods, each top to bottom), `job` (the service that runs them and the test
report).
"""
from ledger.application.batch_job.job import BatchJob
from ledger.application.batch_job.reports import Progress, Report, Request, TestReport

__all__ = ["BatchJob", "Progress", "Report", "Request", "TestReport"]
