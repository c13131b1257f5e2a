"""PDF documents: the proposal's summary (rendered by workers) and the locked-down renderer others reuse."""

import logging

# WeasyPrint logs every layout step of every PDF at INFO, from its import on; its warnings still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
