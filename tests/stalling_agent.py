"""A test agent for interrupting evaluation runs at a known point, whatever the machine's load.

`factory(seed)` gives the reference random policy. When the environment variable AVALON_TEST_STALL_FILE names a
file, the agent writes that file at the start of its second episode and then waits there until the process is
interrupted: a test that sends SIGINT once the file exists interrupts a run that has finished exactly one episode
and cannot finish the rest first. Without the variable it is the random policy, so an uninterrupted run with the
same agent spec gives the episodes to compare against.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from avalon.random_policy import RandomAgent

STALL_FILE = "AVALON_TEST_STALL_FILE"


class StallingRandomAgent(RandomAgent):
    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self.episodes = 0

    def reset(self, seed: int) -> None:
        self.episodes += 1
        flag = os.environ.get(STALL_FILE)
        if flag and self.episodes == 2:
            Path(flag).write_text("stalled before the second episode\n")
            while True:  # until SIGINT
                time.sleep(0.05)
        super().reset(seed)


def factory(seed: int) -> StallingRandomAgent:
    return StallingRandomAgent(seed)
