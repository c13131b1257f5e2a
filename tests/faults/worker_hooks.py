"""Test-only code loaded into test workers (config/settings/test.py: CELERY_IMPORTS from CELERY_TEST_IMPORTS).

- `tests.crash_the_worker`: a job whose handler kills its own process, as a segfault or the OOM killer would.
- With SLOW_RENDER_MARKER set, the first PDF render (in any process) writes that file and then sleeps
  SLOW_RENDER_SECONDS, so a test can kill the worker while it is rendering; later renders run at full speed.
"""

import os
import time
from pathlib import Path

from jobs.registry import job_task

CRASH_TASK = "tests.crash_the_worker"


@job_task(CRASH_TASK)
def crash_the_worker(**arguments) -> None:
    os._exit(70)  # no exception, no cleanup: the process is simply gone


def _slow_first_render(marker: Path, seconds: float):
    import documents.pdf

    real_render = documents.pdf.pdf_render_document

    def render(*args, **kwargs):
        try:
            with marker.open("x") as claimed:  # only the first render, across processes
                claimed.write(str(os.getpid()))
        except FileExistsError:
            return real_render(*args, **kwargs)
        time.sleep(seconds)
        return real_render(*args, **kwargs)

    documents.pdf.pdf_render_document = render


if os.environ.get("SLOW_RENDER_MARKER"):
    _slow_first_render(Path(os.environ["SLOW_RENDER_MARKER"]), float(os.environ.get("SLOW_RENDER_SECONDS", "120")))
