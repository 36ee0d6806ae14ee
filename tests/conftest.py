"""Shared test settings: matplotlib draws off-screen, hypothesis is deterministic."""

import os

import matplotlib
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")
matplotlib.use("Agg")

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("ci")
