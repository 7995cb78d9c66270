"""Database engine tuning: the connection pool's ping and SQLite's pragmas."""
