"""JSON views for the consultant portal."""
from datetime import date

from django.http import JsonResponse

from .models import BillingItem, Payroll


def consultant_payrolls(request, user_id):
    """A consultant's current payrolls with their client.

    Without select_related, reading payroll.client inside the loop runs one
    query per payroll (N+1).
    """
    payrolls = Payroll.objects.filter(primary_consultant_id=user_id, superseded_date__isnull=True).order_by("name")
    rows = []
    for payroll in payrolls:
        rows.append({"id": payroll.id, "payroll": payroll.name, "client": payroll.client.name, "state": payroll.client.state})
    return JsonResponse({"payrolls": rows})


def consultant_payrolls_fixed(request, user_id):
    """The same view in one query: select_related joins the client in."""
    payrolls = (
        Payroll.objects.filter(primary_consultant_id=user_id, superseded_date__isnull=True)
        .select_related("client")
        .order_by("name")
    )
    rows = [
        {"id": p.id, "payroll": p.name, "client": p.client.name, "state": p.client.state}
        for p in payrolls
    ]
    return JsonResponse({"payrolls": rows})


def unbilled_by_payroll(request, user_id):
    """Unbilled work per payroll: one billing_items query per payroll, and
    billing_items.payroll_id has no index, so each one scans the table."""
    result = []
    for payroll in Payroll.objects.filter(primary_consultant_id=user_id, superseded_date__isnull=True):
        items = BillingItem.objects.filter(payroll_id=payroll.id, status__in=["pending", "approved"])
        result.append({"payroll": payroll.id, "unbilled": str(sum(item.amount for item in items))})
    return JsonResponse({"unbilled": result})


def next_pay_dates(request, user_id):
    """Next pay date per payroll, with the dates prefetched in one extra query."""
    payrolls = Payroll.objects.filter(primary_consultant_id=user_id, superseded_date__isnull=True).prefetch_related("dates")
    today = date.today()
    result = []
    for payroll in payrolls:
        upcoming = sorted(d.adjusted_eft_date for d in payroll.dates.all() if d.adjusted_eft_date >= today)
        result.append({"payroll": payroll.id, "next": upcoming[0].isoformat() if upcoming else None})
    return JsonResponse({"next": result})
