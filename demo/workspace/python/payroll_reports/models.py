"""Django models over the existing tables (managed elsewhere, hence managed = False)."""
from django.db import models


class User(models.Model):
    email = models.TextField(unique=True)
    full_name = models.TextField()
    role = models.TextField()
    team = models.TextField()
    is_active = models.BooleanField(default=True)

    class Meta:
        managed = False
        db_table = "users"


class Client(models.Model):
    name = models.TextField()
    registration_number = models.TextField()
    industry = models.TextField()
    state = models.TextField()
    account_manager = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, db_column="account_manager_user_id", related_name="clients"
    )

    class Meta:
        managed = False
        db_table = "clients"


class Payroll(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="payrolls")
    name = models.TextField()
    cycle = models.TextField()
    status = models.TextField()
    primary_consultant = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, db_column="primary_consultant_user_id", related_name="+"
    )
    employee_count = models.IntegerField()
    go_live_date = models.DateField()
    superseded_date = models.DateField(null=True)

    class Meta:
        managed = False
        db_table = "payrolls"


class PayrollDate(models.Model):
    payroll = models.ForeignKey(Payroll, on_delete=models.CASCADE, related_name="dates")
    original_eft_date = models.DateField()
    adjusted_eft_date = models.DateField()
    processing_date = models.DateField()
    is_processed = models.BooleanField(default=False)

    class Meta:
        managed = False
        db_table = "payroll_dates"


class BillingItem(models.Model):
    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="billing_items")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="billing_items")
    service_code = models.TextField()
    description = models.TextField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.TextField()
    billed_on = models.DateField()

    class Meta:
        managed = False
        db_table = "billing_items"
