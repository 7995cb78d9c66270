"""RQ jobs: they take ids, run inside the worker's app context, call services and commit.

Every job is idempotent, because RQ may run it twice (retry, or a worker killed mid-job).
"""
