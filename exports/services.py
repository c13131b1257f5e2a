"""Writes of the exports: each export a program lead takes is on the audit trail."""

from audit.models import AuditEvent
from audit.services import audit_record
from rfp.models import Rfp

EXPORT_NAMES = {
    "proposals_csv": "the proposals (CSV)",
    "reviews_csv": "the reviews (CSV)",
    "ocds_json": "the OCDS release package (JSON)",
}


def rfp_export_record(*, rfp: Rfp, actor, export: str, commercial_terms: bool = False) -> AuditEvent:
    """Record that `actor` exported `export` of the round; an export carrying sealed commercial terms says so."""
    summary = f"{rfp.reference}: {actor} exported {EXPORT_NAMES[export]}"
    return audit_record(
        action=f"export.{export}",
        target=rfp,
        actor=actor,
        summary=summary + (", with commercial terms" if commercial_terms else ""),
        data={"export": export, "commercial_terms": commercial_terms},
    )
