"""Scenario code per topic: exercises objects that must live in the worker (a student's class).

``<topic>.py`` holds functions ``scenario(module, *args)`` that build and use the submission's
objects and return plain data for the judge to compare with the oracle.
"""
