"""Reports for the payroll bureau, run by the operations team and by Django views."""
