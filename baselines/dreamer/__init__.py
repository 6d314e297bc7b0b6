"""DreamerV3-style world-model agent for Avalon (PyTorch): `python -m baselines.dreamer.train --preset debug`."""
