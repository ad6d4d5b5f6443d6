"""Public self-checks: a student's ``exercises/`` against public cases, with diagnosis and hint.

Runs from released data alone (``data/<topic>.json``, the catalogue, the messages); the
submitted code runs only in worker processes. Two front ends share one verdict logic:
``tensorkata check`` (:mod:`tensorkata.checks.render`) and the pytest plugin
(:mod:`tensorkata.checks.pytest_plugin`).
"""
