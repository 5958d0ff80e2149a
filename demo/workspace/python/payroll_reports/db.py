"""Plain psycopg access for the report scripts (the web views use Django's ORM)."""
import os

import psycopg


def connect() -> psycopg.Connection:
    # DATABASE_URL comes from the environment or the workspace's .env file.
    return psycopg.connect(os.environ["DATABASE_URL"], application_name="payroll-reports")
