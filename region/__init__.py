"""The region's and the nation's pages: every district (or region) at a glance, from their plans'
figures and their reports' states."""
