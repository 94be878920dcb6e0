"""What every app uses and that knows nothing of the plan: text cleaning, Uzbek Cyrillic,
query parameters, safe spreadsheets."""
