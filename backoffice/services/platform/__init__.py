"""What every domain needs.

Audit, the business clock, scope, accounts, officers, offices, API keys, idempotency and the citizen-field rules.
"""
