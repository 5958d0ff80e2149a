"""Pay calendar reports: which payrolls pay when, and what must be processed today."""
from collections import defaultdict
from datetime import date

from .db import connect


def upcoming_pay_dates(conn, payroll_ids):
    """The next three pay dates of each payroll, one query per payroll (N+1)."""
    result = {}
    with conn.cursor() as cur:
        for payroll_id in payroll_ids:
            cur.execute(
                """
                SELECT adjusted_eft_date, processing_date
                  FROM payroll_dates
                 WHERE payroll_id = %s AND adjusted_eft_date >= current_date
                 ORDER BY adjusted_eft_date
                 LIMIT 3
                """,
                (payroll_id,),
            )
            result[payroll_id] = cur.fetchall()
    return result


def upcoming_pay_dates_batched(conn, payroll_ids):
    """The same answer from one query: the ids travel as an array."""
    result = defaultdict(list)
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT payroll_id, adjusted_eft_date, processing_date
              FROM (SELECT payroll_id, adjusted_eft_date, processing_date,
                           row_number() OVER (PARTITION BY payroll_id ORDER BY adjusted_eft_date) AS n
                      FROM payroll_dates
                     WHERE payroll_id = ANY(%s) AND adjusted_eft_date >= current_date) AS upcoming
             WHERE n <= 3
             ORDER BY payroll_id, adjusted_eft_date
            """,
            (list(payroll_ids),),
        )
        for payroll_id, eft_date, processing_date in cur:
            result[payroll_id].append((eft_date, processing_date))
    return dict(result)


def processing_today(conn, day: date):
    """Everything the team must process on a given day.

    processing_date has no index and payroll_dates is full of dead rows
    (autovacuum is off for it), so this scan reads twice the pages it needs.
    """
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT p.id, p.name, c.name AS client, d.adjusted_eft_date
              FROM payroll_dates d
              JOIN payrolls p ON p.id = d.payroll_id
              JOIN clients c ON c.id = p.client_id
             WHERE d.processing_date = %s AND NOT d.is_processed
             ORDER BY c.name, p.name
            """,
            (day,),
        )
        return cur.fetchall()


def print_calendar(consultant_id: int) -> None:
    with connect() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id FROM payrolls WHERE primary_consultant_user_id = %s AND superseded_date IS NULL",
            (consultant_id,),
        )
        ids = [row[0] for row in cur.fetchall()]
        for payroll_id, dates in upcoming_pay_dates(conn, ids).items():
            print(payroll_id, ", ".join(d.isoformat() for d, _ in dates))


if __name__ == "__main__":
    print_calendar(42)
