"""Door worlds for the oracle's door skill (tests/test_oracle_doors.py, and measuring every combination): a wall of
blocks across a flat world leaving a 1 x 3 m doorway with a door (and its locks) in it, the spawn 3 m before the wall
facing the door, an apple 3 m beyond it. `play` runs the door skill, then the food plan, in the real engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from avalon.constants import ACTION_SIZE, DoorMechanics, EntityFlag, Latching
from avalon.env import AvalonEnv
from avalon.oracle.door_geometry import DoorFrame
from avalon.oracle.doors import DoorSkill
from avalon.oracle.food import FoodPlan
from avalon.oracle.skills import Motor, entity
from avalon.world.builders import flat_world
from avalon.world.spec import Item, Spawn, WorldSpec

DOOR, APPLE = 10, 30
WALL = 0.5  # m, the wall's thickness (behind the door's frame: local z < 0)
WING = 4.0  # m of wall either side of the doorway
SPAWN_BEFORE = 3.0  # m in front of the wall face
APPLE_BEYOND = 3.0  # m behind the wall's far face
MAX_FRAMES = 700  # steps a door world gets in all (the skill's own bound is MAX_STEPS)


@dataclass(frozen=True)
class DoorCase:
    """One door and lock combination: `door` is "push", "pull", "both" (hinge) or "sliding"; `right` is the hinge
    on the right, or sliding to the right; `locks` names of locks ("button", "rotating", "top", "bottom")."""

    door: str
    latching: int = Latching.NONE
    right: bool = False
    locks: tuple[str, ...] = ()
    yaw: float = 0.0  # the door's yaw: the whole world turns with it
    x: float = 0.0  # the door's position along world x
    spawn: tuple[float, float, float] = (0.0, SPAWN_BEFORE, 0.0)  # door-frame x, z and yaw (facing the door: 0)
    wall: float = WALL  # m, the wall's thickness

    @property
    def name(self) -> str:
        parts = [self.door, "right" if self.right else "left", Latching(self.latching).name.lower(), *self.locks]
        if self.yaw:
            parts.append(f"yaw{self.yaw:g}")
        if self.spawn != (0.0, SPAWN_BEFORE, 0.0):
            parts.append("spawn{:g},{:g},{:g}".format(*self.spawn))
        if self.wall != WALL:
            parts.append(f"wall{self.wall:g}")
        return "-".join(parts)


LOCK_ITEMS = {"button": ("button_lock", {}), "rotating": ("rotating_bar_lock", {})}
LOCK_ITEMS |= {"top": ("sliding_bar_lock", {"top": True}), "bottom": ("sliding_bar_lock", {"top": False})}


def door_world(case: DoorCase) -> WorldSpec:
    frame = DoorFrame(np.array([case.x, 0.0, 0.0]), case.yaw)
    if case.door == "sliding":
        door = Item.sliding_door(DOOR, frame.origin, case.yaw, slide_right=case.right, latching=case.latching)
    else:
        mechanics = {"push": DoorMechanics.PUSH, "pull": DoorMechanics.PULL, "both": DoorMechanics.BOTH}[case.door]
        door = Item.hinge_door(
            DOOR, frame.origin, case.yaw, mechanics=mechanics, hinge_right=case.right, latching=case.latching
        )
    height = float(door["height"])
    half = float(door["width"]) / 2.0
    wall = case.wall
    blocks = [
        Item.block(1, frame.world((-half - WING / 2.0, height / 2.0, -wall / 2.0)), (WING, height, wall), yaw=case.yaw),
        Item.block(2, frame.world((half + WING / 2.0, height / 2.0, -wall / 2.0)), (WING, height, wall), yaw=case.yaw),
        Item.block(3, frame.world((0.0, height + 0.5, -wall / 2.0)), (2.0 * half, 1.0, wall), yaw=case.yaw),
    ]
    locks = []
    for n, name in enumerate(case.locks):
        kind, fields = LOCK_ITEMS[name]
        locks.append(Item.lock(kind, DOOR + 1 + n, door, **fields))
    apple = Item.food("apple", APPLE, frame.world((0.0, 0.5, -wall - APPLE_BEYOND)))
    spawn_x, spawn_z, spawn_turn = case.spawn
    spawn = Spawn(frame.world((spawn_x, 0.0, spawn_z)), case.yaw + spawn_turn)
    return flat_world(20, items=(*blocks, door, *locks, apple), spawn=spawn)


def far_goal(world: WorldSpec, wall: float = WALL) -> tuple[float, float, float]:
    """Where the skill walks to: 1.5 m beyond the wall, in front of the apple."""
    door = world.item(DOOR)
    frame = DoorFrame(np.asarray(door.position, dtype=np.float64), float(door.yaw))
    x, y, z = frame.world((0.0, 0.0, -wall - 1.5))
    return (float(x), float(y), float(z))


@dataclass
class Outcome:
    skill: DoorSkill
    through_step: int | None  # the step the skill finished
    door_open: bool  # reported OPEN when the skill finished
    far_side: bool  # the body was behind the wall when the skill finished
    ate: bool  # reward > 0 or the apple gone
    steps: int

    @property
    def ok(self) -> bool:
        return self.skill.succeeded and self.door_open and self.far_side and self.ate

    def describe(self) -> str:
        what = "ok" if self.ok else f"FAILED ({self.skill.failure or 'skill done'}; stage {self.skill.stage.value})"
        return (
            f"{what}: through at step {self.through_step}, open {self.door_open}, far side {self.far_side}, "
            f"ate {self.ate}, {self.steps} steps"
        )


def play(env: AvalonEnv, case: DoorCase, max_frames: int = MAX_FRAMES) -> Outcome:
    """Reset `env` to the case's world, open the door with the skill, then eat the apple with the food plan."""
    world = door_world(case)
    _, info = env.reset(seed=0, options={"world": world})
    motor = Motor(world)
    skill = DoorSkill.for_door(motor, world, DOOR, far_goal(world, case.wall), beyond=case.wall + 0.7)
    food = FoodPlan(motor)
    door = world.item(DOOR)
    frame = DoorFrame(np.asarray(door.position, dtype=np.float64), float(door.yaw))
    through_step: int | None = None
    door_open = far_side = ate = False
    steps = 0
    for steps in range(1, max_frames + 1):
        debug: dict[str, Any] = info["debug"]
        action = np.zeros(ACTION_SIZE, dtype=np.float32)
        if not skill.done:
            skill.act(action, debug)
        if skill.done and through_step is None:
            through_step = steps
            record = entity(debug, DOOR)
            door_open = record is not None and bool(record["flags"] & EntityFlag.OPEN)
            far_side = bool(frame.local(debug["body_position"])[2] < -case.wall)
            if not skill.succeeded:
                break
        if skill.done:
            food.act(action, debug)
        _, reward, terminated, truncated, info = env.step(action)
        apple = entity(info["debug"], APPLE)
        if reward > 0 or apple is None or apple["flags"] & EntityFlag.EATEN:
            ate = True
            break
        if terminated or truncated:
            break
    return Outcome(skill, through_step, door_open, far_side, ate, steps)


# Every combination the world checks accept that the skill should handle (docs/doors.md; avalon/world/validate.py
# `_check_doors`), and the reference's lock sets.
ONCE, AUTO, NONE = Latching.ONCE, Latching.AUTO, Latching.NONE
ALL_CASES = (
    DoorCase("push"),
    DoorCase("pull"),
    DoorCase("both"),
    DoorCase("push", right=True),
    DoorCase("pull", right=True),
    DoorCase("both", right=True),
    DoorCase("sliding"),
    DoorCase("sliding", right=True),
    DoorCase("push", ONCE),
    DoorCase("push", AUTO),
    DoorCase("pull", ONCE),
    DoorCase("pull", AUTO),
    DoorCase("both", AUTO),
    DoorCase("sliding", AUTO),
    DoorCase("push", ONCE, locks=("button",)),
    DoorCase("push", ONCE, locks=("rotating",)),
    DoorCase("pull", ONCE, locks=("rotating",)),
    DoorCase("push", ONCE, locks=("top",)),
    DoorCase("push", ONCE, locks=("bottom",)),
    DoorCase("sliding", ONCE, True, locks=("bottom",)),
    DoorCase("sliding", AUTO, locks=("top",)),
    DoorCase("push", AUTO, locks=("rotating", "button")),
    DoorCase("pull", ONCE, True, locks=("rotating", "button")),
    DoorCase("push", ONCE, True, locks=("rotating", "bottom")),
    DoorCase("push", AUTO, locks=("rotating", "bottom", "button")),
    DoorCase("push", ONCE, locks=("bottom", "top")),
    DoorCase("sliding", ONCE, locks=("rotating", "bottom", "button")),
    DoorCase("both", AUTO, True, locks=("rotating", "button"), yaw=90.0, x=1.0),
    DoorCase("pull", AUTO, locks=("rotating",), yaw=-135.0),
    DoorCase("sliding", AUTO, True, locks=("bottom", "top"), yaw=180.0),
)
# The agent elsewhere on the approach side (beside the door, near, far, turned away) and thicker walls.
VARIANTS = (
    DoorCase("push", AUTO, locks=("rotating", "bottom", "button"), spawn=(2.5, 1.0, 90.0)),
    DoorCase("pull", ONCE, True, locks=("rotating", "button"), spawn=(-2.0, 0.6, -60.0)),
    DoorCase("pull", AUTO, spawn=(0.3, 0.5, 180.0)),
    DoorCase("both", ONCE, locks=("rotating",), spawn=(1.0, 6.0, 30.0)),
    DoorCase("sliding", ONCE, locks=("bottom", "top", "button"), spawn=(-3.0, 2.0, 120.0)),
    DoorCase("sliding", AUTO, True, spawn=(0.0, 0.4, 0.0)),
    DoorCase("push", ONCE, locks=("bottom", "top"), wall=1.0),
    DoorCase("pull", AUTO, True, locks=("rotating",), wall=1.0, yaw=45.0),
)


def main() -> None:
    """`PYTHONPATH=. python -m tests.door_worlds`: play every case and print how each went."""
    import time

    with AvalonEnv(debug=True, headless=True) as env:
        for case in ALL_CASES + VARIANTS:
            start = time.monotonic()
            outcome = play(env, case)
            print(f"{case.name:45s} {outcome.describe()} [{time.monotonic() - start:.1f} s]", flush=True)


if __name__ == "__main__":
    main()
