"""Notices: what the app tells people, in the app, by e-mail and in Telegram."""
