"""Tests of the platform: auth, admin, audit, calendar, config, permissions, storage."""
