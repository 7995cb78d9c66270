"""What every domain needs: audit, the business clock, scope, accounts, officers, offices, intake plumbing and citizen-field rules."""
