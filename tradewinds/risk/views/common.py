from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from tradewinds.core.roles import Role

from ..performance import Period

RULE_READERS = (Role.RISK_OFFICER, Role.MANAGER)
RULE_AUTHORS = (Role.RISK_OFFICER,)
DECISION_READERS = (Role.RISK_OFFICER, Role.MANAGER, Role.EXAMINATION_OFFICER, Role.CLEARANCE_OFFICER)


def period_from(request: HttpRequest, default_days: int = 180) -> Period:
    """The period asked for in ?start=&end= (ISO dates), else the last `default_days` days."""
    today = timezone.localdate()
    try:
        end = dt.date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else today
        start = dt.date.fromisoformat(request.GET.get("start", "")) if request.GET.get("start") else None
    except ValueError:
        end, start = today, None
    start = start or end - dt.timedelta(days=default_days)
    return Period(min(start, end), max(start, end))
