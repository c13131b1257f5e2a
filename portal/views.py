from django.shortcuts import render
from django.utils import timezone

from rfp.selectors import rfp_list_open


def home(request):
    now = timezone.now()
    return render(request, "portal/home.html", {"open_rfps": rfp_list_open(now=now), "now": now})
