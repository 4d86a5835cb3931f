"""Telling the data team: one notifier for every alert (email over SMTP, and a record).

Every alert (a task failure, a missed deadline, a late feed, the forecast chase
list) goes through `onecouncil.notify.send.notify`: it is recorded in
`ops.notifications` whether or not an email could be sent, and an event key makes
the same event notify once. The SMTP server and recipients come from the
environment (`onecouncil.settings.alerts`). `onecouncil.notify.airflow` holds the
callbacks the DAGs hand to Airflow; this package imports nothing heavy, so DAG
files may import it at the top.
"""
