"""Baselines trained on Avalon: PPO (stable-baselines3) and Dreamer (PyTorch)."""
