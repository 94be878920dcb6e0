"""The demo `make run` loads: Sharof Rashidov district's real 2024 plan with its people, and the
Jizzakh region around it (templates, districts with figures and reports, the region's and the
nation's accounts)."""
