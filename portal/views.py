from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from portal.access import supplier_access
from rfp.selectors import proposal_list_for_supplier, rfp_list_open


def home(request):
    if request.user.is_authenticated and request.user.is_buyer_staff:
        return redirect("review:queue")
    now = timezone.now()
    return render(request, "portal/home.html", {"open_rfps": rfp_list_open(now=now), "now": now})


@login_required
def dashboard(request):
    """The signed-in supplier's start page: open rounds with their countdown, the company's proposals."""
    if request.user.is_buyer_staff:
        return redirect("review:queue")
    now = timezone.now()
    access = supplier_access(request)
    proposals = proposal_list_for_supplier(supplier=access.supplier) if access else []
    return render(
        request,
        "portal/dashboard.html",
        {"access": access, "open_rfps": rfp_list_open(now=now), "proposals": proposals, "now": now},
    )
