"""Flask-WTF forms, one module per domain."""
