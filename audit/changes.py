"""Audited saves and deletions of the buyer's own records (rounds, rubrics, addenda, reviewers, settings): the one way
the review panel writes a row it edits by form. Each write and its audit event commit together."""

from __future__ import annotations

from django.db import models, transaction

from audit.services import audit_record


def _label(instance: models.Model) -> str:
    return f"{instance._meta.verbose_name} “{instance}”"


def record_save(*, instance: models.Model, actor, created: bool, changed: list[str] | None = None) -> models.Model:
    """Save the row and audit it as `<app>.<model>.created` or `.changed`, naming the changed fields."""
    changed = sorted(changed or [])
    with transaction.atomic():
        instance.save()
        verb = "created" if created else "changed"
        audit_record(
            action=f"{instance._meta.label_lower}.{verb}",
            target=instance,
            actor=actor,
            summary=f"{_label(instance)} {verb} in the review panel"
            + (f": {', '.join(changed)}" if changed and not created else ""),
            data={"changed": changed, "via": "panel"},
        )
    return instance


def record_delete(*, instance: models.Model, actor) -> None:
    """Delete the row and audit it as `<app>.<model>.deleted`, keeping what it was called."""
    with transaction.atomic():
        audit_record(
            action=f"{instance._meta.label_lower}.deleted",
            target=instance,
            actor=actor,
            summary=f"{_label(instance)} deleted in the review panel",
            data={"via": "panel"},
        )
        instance.delete()


def record_action(*, instance: models.Model, actor, action: str, summary: str, data: dict | None = None) -> None:
    """Audit an operational act on a row that changes no field the panel edits (publishing a job again)."""
    audit_record(
        action=f"{instance._meta.label_lower}.{action}",
        target=instance,
        actor=actor,
        summary=summary,
        data={**(data or {}), "via": "panel"},
    )
