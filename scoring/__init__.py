"""Scoring: the fixed evaluation set, the episode runner, baselines, normalization and reports (`avalon-score`)."""
