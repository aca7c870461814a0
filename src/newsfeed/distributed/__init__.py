"""Scale-out: Celery workers, the scheduler that feeds them, and bulk WARC import.

The command bodies for ``newsfeed worker``, ``newsfeed scheduler`` and ``newsfeed
import-warc``. Workers run the embedded updater's own stage functions; PostgreSQL is the
shared store, Redis (or RabbitMQ) the broker, Redis the home of locks and per-host limits.
See docs/scale-out.md.
"""

from newsfeed.distributed._commands import (
    import_warc,
    queue_warc_files,
    run_scheduler,
    run_worker,
)
from newsfeed.distributed._import import ImportReport

__all__ = [
    "ImportReport",
    "import_warc",
    "queue_warc_files",
    "run_scheduler",
    "run_worker",
]
