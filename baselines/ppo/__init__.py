"""PPO (stable-baselines3) on Avalon with the original's IMPALA-CNN + proprio network and hyperparameters."""
