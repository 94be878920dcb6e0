"""The plan's pages: monthly entry (entry.py) and progress dashboards (dashboards.py)."""
