"""What the buyer publishes to suppliers during a round and what suppliers send back outside a proposal.

A supplier acknowledges each published addendum (once; acknowledging again changes nothing), and asks
clarification questions, which stay private to the asking supplier until the program lead publishes an answer
without the asker's name. Questions are accepted only while the round is open. An answer's `answered_at` is the
moment its text was published, set here and never typed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.changes import record_save
from audit.services import audit_record
from rfp.exceptions import DomainError
from rfp.models import Addendum, AddendumAcknowledgement, Clarification, Rfp
from rfp.services.proposals import rfp_ensure_open
from suppliers.models import Supplier
from suppliers.text_rules import NARRATIVE_MAX_CHARS

CLARIFICATION_MAX_CHARS = 4000
CLARIFICATION_ANSWER_MAX_CHARS = NARRATIVE_MAX_CHARS


@transaction.atomic
def addendum_acknowledge(*, addendum: Addendum, supplier: Supplier, actor) -> AddendumAcknowledgement:
    """Record that the supplier read the addendum; idempotent: the first acknowledgement stands."""
    if addendum.published_at > timezone.now():
        raise DomainError(
            f"Addendum {addendum.number} of {addendum.rfp.reference} is not published yet; "
            "you can acknowledge it once it appears on the round's page.",
            code="addendum_not_published",
        )
    existing = AddendumAcknowledgement.objects.filter(addendum=addendum, supplier=supplier).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            acknowledgement = AddendumAcknowledgement(addendum=addendum, supplier=supplier, acknowledged_by=actor)
            acknowledgement.full_clean()
            acknowledgement.save()
    except IntegrityError:
        # A colleague acknowledged it at the same moment: theirs stands.
        return AddendumAcknowledgement.objects.get(addendum=addendum, supplier=supplier)
    audit_record(
        action="addendum.acknowledged",
        target=addendum,
        actor=actor,
        summary=f"{supplier.legal_name} acknowledged addendum {addendum.number} of {addendum.rfp.reference}",
        data={"supplier": supplier.pk, "rfp": addendum.rfp.reference, "number": addendum.number},
    )
    return acknowledgement


@transaction.atomic
def clarification_ask(*, rfp: Rfp, supplier: Supplier, actor, question: str) -> Clarification:
    """A supplier's question on the round; private to that supplier until an answer is published."""
    question = (question or "").strip()
    if not question:
        raise DomainError(
            "Write your question, for example: “Does the 30% domestic content threshold include packaging?”",
            code="question_required",
        )
    if len(question) > CLARIFICATION_MAX_CHARS:
        raise DomainError(
            f"Your question has {len(question)} characters; keep it to {CLARIFICATION_MAX_CHARS} "
            "and attach details to your proposal instead.",
            code="question_too_long",
        )
    rfp_ensure_open(rfp, now=timezone.now(), doing="ask clarification questions")
    clarification = Clarification(rfp=rfp, supplier=supplier, asked_by=actor, question=question)
    clarification.full_clean()
    clarification.save()
    audit_record(
        action="clarification.asked",
        target=clarification,
        actor=actor,
        summary=f"{supplier.legal_name} asked a question on {rfp.reference}",
        data={"supplier": supplier.pk, "rfp": rfp.reference},
    )
    return clarification


def clarification_answer_refusal(*, answer: str, publish: bool) -> str | None:
    """Why this answer cannot be saved as asked, in the lead's words; None when it can."""
    answer = (answer or "").strip()
    if publish and not answer:
        return "Write the answer before publishing it: every supplier sees it on the round's page."
    if len(answer) > CLARIFICATION_ANSWER_MAX_CHARS:
        return (
            f"The answer has {len(answer):,} characters; keep it to {CLARIFICATION_ANSWER_MAX_CHARS:,}, "
            "or publish the details as an addendum."
        )
    return None


@transaction.atomic
def clarification_answer(*, clarification: Clarification, answer: str, publish: bool, actor) -> Clarification:
    """The program lead's answer, kept private or published to every supplier. Publishing (or changing a published
    answer) sets `answered_at` to now; withdrawing the answer from suppliers clears it."""
    refusal = clarification_answer_refusal(answer=answer, publish=publish)
    if refusal:
        raise DomainError(refusal, code="answer_refused")
    answer = answer.strip()
    stored = Clarification.objects.select_for_update().get(pk=clarification.pk)
    if not publish:
        answered_at = None
    elif not stored.is_published or stored.answer != answer or stored.answered_at is None:
        answered_at = timezone.now()
    else:
        answered_at = stored.answered_at
    wanted = {"answer": answer, "is_published": publish, "answered_at": answered_at}
    changed = [name for name, value in wanted.items() if getattr(stored, name) != value]
    for name, value in wanted.items():
        setattr(stored, name, value)
    stored.full_clean()
    return record_save(instance=stored, actor=actor, created=False, changed=changed)
