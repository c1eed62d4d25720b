"""办理时限 — deadlines per category and priority, and when an overdue case goes up a tier.

Time to sign for (签收) and to resolve (办结) run from the dispatch. Urgent cases and the
categories named below have their own; everything else follows the tier: a town's daily
matter is quicker than a district's hard case. A case supervised for its resolution
deadline and still unresolved `ESCALATE_AFTER` later is escalated one tier.
"""

from __future__ import annotations

from datetime import datetime, timedelta

HOUR, DAY = timedelta(hours=1), timedelta(days=1)

SIGN_FOR = {"normal": 2 * HOUR, "urgent": HOUR / 2}
RESOLVE_BY_TIER = {"town": 3 * DAY, "district": 5 * DAY, "city": 10 * DAY}
# (category, priority) -> (sign for, resolve); "*" matches any priority
BY_CATEGORY: dict[tuple[str, str], tuple[timedelta, timedelta]] = {
    ("safety", "*"): (HOUR / 2, DAY),  # 安全隐患
    ("flood", "*"): (HOUR / 4, 12 * HOUR),  # 防汛
    ("environment", "*"): (HOUR, 2 * DAY),  # 生态环境
    ("*", "urgent"): (HOUR / 2, DAY),
}
ESCALATE_AFTER = DAY


def deadlines(category: str | None, priority: str, tier: str, at: datetime) -> tuple[datetime, datetime]:
    """(sign for by, resolve by) for a case dispatched at `at`."""
    for key in ((category or "", priority), (category or "", "*"), ("*", priority)):
        if key in BY_CATEGORY:
            sign_for, resolve = BY_CATEGORY[key]
            return at + sign_for, at + resolve
    return at + SIGN_FOR[priority], at + RESOLVE_BY_TIER[tier]
