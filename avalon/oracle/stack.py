"""STACK's plan: put the stones into the solved staircase against the cliff (`avalon.oracle.carrying`), bottom layer
first, then run up the steps jumping onto each one and onto the cliff, then the food plan.

The staircase is recovered from the world (the ring is not in the WorldSpec): the apple hangs from its tree on the side
facing the cliff, so trunk - apple is the traversal heading; walking back from the apple along it finds the cliff's edge
and foot, and the tallest column stands `STAIR_CLEARANCE` m in front of the foot, stepped back until no stone overlaps
the wall, as the generator put it (`avalon.tasks.stack.stair_solution`, the same scan from the low side). Stones already
within `PLACED` m of a spot of the staircase are left there (at difficulty 0 every stone starts in place).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, MAX_HEAD_LINEAR_SPEED
from avalon.entities import FOOD_BY_NAME
from avalon.navigation import plan_path
from avalon.oracle.carrying import Carry, stone_penalty
from avalon.oracle.food import FoodPlan, Phase
from avalon.oracle.skills import HEAD_X, HEAD_Y, HEAD_Z, JUMP, Motor, head_basis
from avalon.tasks.stack import (
    CLIFF_ABOVE_STONES,
    STAIR_CLEARANCE,
    STONE_SIZE,
    cliff_foot,
    stair_offsets,
    stair_setback,
)
from avalon.world.obstacles.grid import Grid
from avalon.world.spec import WorldSpec

Point2 = tuple[float, float]
Vec3 = tuple[float, float, float]

EDGE_SEARCH = 6.0  # m back from the apple along the heading within which the cliff's edge is looked for
TRUNK_CLEAR = 0.6  # m round a fruit tree's trunk the walks keep off (CARRY's apple hangs beyond it)
TRUNK_PENALTY = 1000.0  # m of path a point there costs
EDGE_RUN = 1.0  # m (CARRY's worlds): a drop within this is the cliff's edge
CARRY_EDGE_SEARCH = 14.0  # m: in CARRY's worlds the cliff stands anywhere between the spawn and the goal
LOW_SIDE = 1.5  # m beyond the edge (on the low side) where the scan for the foot starts
PLACED = 0.35  # m (horizontal) and height within which a stone counts as in its spot
BLOCKING = STONE_SIZE * math.sqrt(2.0)  # m (horizontal) within which a loose stone may overlap a spot's stone
CROWDING = 1.3 * STONE_SIZE * math.sqrt(2.0) / 2.0 + 0.2  # m: a stone's shell (1.3 x, any yaw) and the body's width
RUN_BACK = 1.5  # m behind the lowest column's back face where the run up the steps starts
RUN_SPEED = 0.6  # of full speed on a step: time to land and stand still before the next jump (in the air: full)
JUMP_AT = 0.5  # m before a riser's face the body jumps (the riser's top is more than STEP_UP above the feet)
STEP_UP = 0.3  # m: a rise the body walks up without jumping
ALIGN = 3.0  # deg of yaw error allowed before the run starts
LATERAL_GAIN = 1.0  # sideways correction per metre off the line, in units of full speed
STILL = 0.01  # m per step of vertical motion that counts as standing (may jump)
RUN_PATIENCE = 60  # steps up the stairs before the run starts over from the approach point
LAND_BEYOND = 0.5  # m past a riser's face where the body comes down on the step (the middle of a stone)
CLIFF_BEYOND = 1.5  # m past the cliff's foot: on its top, clear of the ramp (0.5 m, up to 0.75 m where jagged)
ON_TOP = 0.15  # m: the feet standing within this of the cliff's top, past its edge: up
BLOCKED = 2  # steps standing without getting nearer the take-off point: jump from there
STILL_ON_TOP = 3  # steps without vertical motion that count as standing there (not the apex of a jump)
FELL = 1.0  # m below the cliff's top: fell back down from it
MAX_TRIES = 5
PLACE_GAP = 0.04  # m left between neighbouring columns when stones are put down
STAND_BACK = 1.2  # m behind a spot on the ground where the body stands to put a stone down
SETTLE_LIMIT = 40  # steps at most waiting at the start for the stones to come to rest


@dataclass(frozen=True)
class Staircase:
    """The solved staircase of a STACK world: `anchor` is the tallest column's spot (x, z), `heading` points from it
    towards the cliff (unit x, z), `ground` is the low side's ground height there, `stair_height` n."""

    anchor: Point2
    heading: Point2
    ground: float
    stair_height: int
    lane: float = 0.0  # m across the heading (left of it) where the run goes: the cliff's foot is nearest there
    cliff_above: float = CLIFF_ABOVE_STONES  # m from the top stone's top to the cliff's top
    clearance: float = STAIR_CLEARANCE  # m from the tallest column to the cliff's foot

    def spot(self, local_x: float, local_y: float) -> Vec3:
        """World position of a stone centre at local (x along the heading, y up) on the line."""
        return (
            self.anchor[0] + self.heading[0] * local_x,
            self.ground + local_y,
            self.anchor[1] + self.heading[1] * local_x,
        )

    def spots(self, spares: int = 0) -> list[Vec3]:
        """The staircase's stone centres, bottom layer first (the order they are put down in), then `spares` spare
        stones' places beside it (as the generator lays them out before the jitter)."""
        across = (-self.heading[1], self.heading[0])
        out = []
        for x, y, z in stair_offsets(self.stair_height, spares):
            cx, cy, cz = self.spot(x, y)
            out.append((cx + across[0] * z, cy, cz + across[1] * z))
        return out

    def along(self, point: Any) -> float:
        """How far `point` (x, y, z) is along the heading from the anchor."""
        return (float(point[0]) - self.anchor[0]) * self.heading[0] + (float(point[2]) - self.anchor[1]) * self.heading[
            1
        ]

    def risers(self) -> list[tuple[float, float]]:
        """(distance along the heading from the anchor, height of the top) of each face the run meets: the columns
        from the lowest one to the tallest, then the cliff."""
        n = self.stair_height
        columns = [(-(n - 1 - k) - STONE_SIZE / 2.0, self.ground + (k + 1) * STONE_SIZE) for k in range(n)]
        foot = STONE_SIZE / 2.0 + self.clearance
        return [*columns, (foot, self.ground + n * STONE_SIZE + self.cliff_above)]


def find_staircase(world: WorldSpec, apple_beyond: bool = False, search: float = EDGE_SEARCH) -> Staircase | None:
    """The staircase of a STACK world (see the module docstring); None when the world has no apple on a tree or no
    cliff behind it. `apple_beyond`: the apple hangs on the tree's far side from the cliff (CARRY's worlds), so the
    heading is apple - trunk; the edge is looked for up to `search` m back from the apple."""
    apples = [item for item in world.items if item.kind in FOOD_BY_NAME]
    trees = [item for item in world.items if item.kind == "fruit_tree"]
    if not apples or not trees:
        return None
    apple, trunk = apples[0].position, trees[0].position
    dx, dz = trunk[0] - apple[0], trunk[2] - apple[2]
    if apple_beyond:
        dx, dz = -dx, -dz
    length = math.hypot(dx, dz)
    if length < 1e-6:
        return None
    ux, uz = dx / length, dz / length
    terrain = world.terrain
    top = terrain.height_at(apple[0], apple[2])
    edge = None
    steps = np.arange(0.0, search, 0.05)
    heights = [terrain.height_at(apple[0] - ux * s, apple[2] - uz * s) for s in steps]
    for k, s in enumerate(steps):
        if apple_beyond:
            # The ground between the tree and the cliff is not level: the edge is a drop of a metre within
            # EDGE_RUN m, and the cliff's top the highest ground just before it.
            before = heights[max(0, k - round(EDGE_RUN / 0.05)) : k + 1]
            if heights[k] < max(before) - 1.0:
                edge, top = float(s), max(before)
                break
        elif heights[k] < top - 1.0:
            edge = float(s)
            break
    if edge is None:
        return None
    low = (apple[0] - ux * (edge + LOW_SIDE), apple[2] - uz * (edge + LOW_SIDE))
    ground = terrain.height_at(*low)
    foot = cliff_foot(terrain, low, (ux, uz), LOW_SIDE + 1.0, top - ground)
    back = foot - STAIR_CLEARANCE - STONE_SIZE / 2.0
    n = int(np.clip(round(top - ground - CLIFF_ABOVE_STONES), 1, 3))
    back -= stair_setback(terrain, (low[0] + ux * back, low[1] + uz * back), (ux, uz), ground, n) or 0.0
    anchor = (low[0] + ux * back, low[1] + uz * back)
    return Staircase(anchor, (ux, uz), ground, n)


class Stage(Enum):
    BUILD = "build"  # carry stones into the staircase's empty spots, bottom layer first
    APPROACH = "approach"  # walk to the start of the run, behind the lowest column
    AIM = "aim"  # stand up and face the cliff
    RUN = "run"  # walk up the line, jumping before each riser
    FOOD = "food"


@dataclass
class StackPlan:
    motor: Motor
    apple_beyond: bool = False  # CARRY's worlds: see `find_staircase`
    food: FoodPlan = field(init=False)
    stair: Staircase | None = None
    stage: Stage = Stage.BUILD
    carry: Carry | None = None
    _run_steps: int = 0
    _last_y: float = math.nan
    _last_s: float = math.nan
    _still: int = 0  # steps without vertical motion
    _last_stones: dict[int, np.ndarray] = field(default_factory=dict)
    _settle_steps: int = 0
    _settled: bool = False
    _tries: int = 0  # runs up the steps that ended on the top
    _jumped: int | None = None  # the riser the body jumped onto, while in the air
    _trunk_penalty: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)
        world = self.motor.world
        search = CARRY_EDGE_SEARCH if self.apple_beyond else EDGE_SEARCH
        self.stair = find_staircase(world, self.apple_beyond, search) if world is not None else None
        if self.stair is None:
            self.stage = Stage.FOOD

    @property
    def phase(self) -> Phase | None:
        return self.food.phase if self.stage is Stage.FOOD else None

    def _trunks(self, world: WorldSpec) -> np.ndarray | float:
        """A* penalty round the fruit tree's trunk when the apple hangs beyond it (CARRY): the walk to the apple goes
        round the trunk, not into it (the planner keeps off decorative trees only)."""
        if not self.apple_beyond:
            return 0.0
        if self._trunk_penalty is None:
            grid = Grid.of(world.terrain)
            x, z = grid.grid_xz()
            self._trunk_penalty = np.zeros(grid.shape)
            for item in world.items:
                if item.kind == "fruit_tree":
                    near = np.hypot(x - item.position[0], z - item.position[2]) < TRUNK_CLEAR
                    self._trunk_penalty[near] = TRUNK_PENALTY
        return self._trunk_penalty

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        if self.stair is None:
            self.food.act(action, debug)
            return
        stair = self.stair
        body = np.asarray(debug["body_position"], dtype=np.float64)
        feet = float(body[1]) - AGENT_HEIGHT / 2.0
        cliff_top = stair.risers()[-1][1]
        if self.stage is Stage.FOOD:
            if feet > cliff_top - FELL or self._tries >= MAX_TRIES or debug["right_held_id"]:
                self.food.act(action, debug)
                return
            self.stage = Stage.APPROACH  # fell back down from the top: run up the steps again
        stones = [e for e in debug["entities"] if e["kind"] == "stone"]
        world = self.motor.world
        assert world is not None
        trunks = self._trunks(world)
        self.motor.planner = lambda w, s, g: plan_path(
            w, s, g, penalty=stone_penalty(w, stones, self._held(debug)) + trunks
        )
        if self.stage is Stage.BUILD:
            if not self._settled:
                if self._settling(stones):
                    return  # jittered stones that started stacked fall at first: plan once they lie still
                # Once: a stone being carried moves too (the plan waited while it was lifted and let go of it).
                self._settled = True
            if self._build(action, debug, stones):
                return
            self.stage = Stage.APPROACH
        risers = stair.risers()
        start_along = risers[0][0] - RUN_BACK
        x, _, z = stair.spot(start_along, 0.0)
        start = (x - stair.heading[1] * stair.lane, 0.0, z + stair.heading[0] * stair.lane)
        if self.stage is Stage.APPROACH:
            goal = np.array([start[0], body[1], start[2]])
            if math.hypot(body[0] - start[0], body[2] - start[2]) > 0.2:
                self.motor.walk(action, debug, "run-start", goal, 0.1)
                return
            self.stage = Stage.AIM
        far = np.array([stair.anchor[0] + 20 * stair.heading[0], body[1], stair.anchor[1] + 20 * stair.heading[1]])
        if self.stage is Stage.AIM:
            error = self.motor.face(action, debug, far)
            standing = debug["head_position"][1] - feet > AGENT_HEIGHT - 0.02
            if not standing:
                action[HEAD_Y] = 1.0
            if abs(error) > ALIGN or not standing:
                return
            self.stage, self._run_steps = Stage.RUN, 0
        if self.stage is Stage.RUN:
            s = stair.along(body)
            cliff_along, cliff_top = risers[-1]
            moved = abs(float(body[1]) - self._last_y) if math.isfinite(self._last_y) else math.inf
            self._last_y = float(body[1])
            self._still = self._still + 1 if moved < STILL else 0
            still = self._still >= 1
            if s > cliff_along + 0.3 and feet > cliff_top - ON_TOP and self._still >= STILL_ON_TOP:
                self.stage, self._tries = Stage.FOOD, self._tries + 1
                self.food.act(action, debug)
                return
            self._run_steps += 1
            if self._run_steps > RUN_PATIENCE or feet < stair.ground - 0.5:
                self.stage = Stage.APPROACH  # fell off or stuck: start the run again
                return
            self.motor.face(action, debug, far)
            last_s, self._last_s = self._last_s, s
            k = next((k for k, (_, top) in enumerate(risers) if top > feet + STEP_UP), len(risers))
            if still:
                self._jumped = None
            if self._jumped is not None:  # in the air after a jump onto riser `_jumped`
                face, top = risers[self._jumped]
                # Rising below its top: press on to its face; above it: come down on the middle of the step.
                beyond = LAND_BEYOND if self._jumped < len(risers) - 1 else CLIFF_BEYOND
                target = face if feet < top - STEP_UP and s < face else face + beyond
            elif k == len(risers):
                target = cliff_along + CLIFF_BEYOND  # on the cliff's top: walk on, off its edge
            else:
                target = risers[k][0] - JUMP_AT  # on a step: to the take-off point before the next riser
                # (or as near as it gets: a stone that moved may stand in the way)
                blocked = self._still >= BLOCKED and abs(s - last_s) < STILL
                if still and (s >= target - 0.05 or blocked):
                    action[JUMP] = 1.0
                    self._jumped = k
                    target = risers[k][0]
            self._move_along(action, debug, body, target - s, 1.0 if self._jumped is not None else RUN_SPEED)

    def _move_along(
        self, action: np.ndarray, debug: dict[str, Any], body: np.ndarray, distance: float, top_speed: float
    ) -> None:
        """Walk `distance` m along the heading (at most `top_speed` of full speed), steering back onto the line."""
        stair = self.stair
        assert stair is not None
        offset = np.array([body[0] - stair.anchor[0], 0.0, body[2] - stair.anchor[1]])
        u = np.array([stair.heading[0], 0.0, stair.heading[1]])
        lane = np.array([-u[2], 0.0, u[0]]) * stair.lane
        lateral = offset - np.dot(offset, u) * u - lane
        speed = float(np.clip(distance / MAX_HEAD_LINEAR_SPEED, -top_speed, top_speed))
        local = head_basis(debug["head_yaw"], 0.0).T @ (speed * u - LATERAL_GAIN * lateral)
        norm = float(np.linalg.norm(local))
        if norm > 1.0:
            local /= norm
        action[HEAD_X], action[HEAD_Z] = local[0], local[2]

    def _settling(self, stones: list[dict[str, Any]]) -> bool:
        """True while some stone still moves, for at most SETTLE_LIMIT steps from the start."""
        positions = {int(e["id"]): np.asarray(e["position"], dtype=np.float64) for e in stones}
        moving = any(
            float(np.linalg.norm(p - self._last_stones[i])) > STILL
            for i, p in positions.items()
            if i in self._last_stones
        )
        first = not self._last_stones
        self._last_stones = positions
        self._settle_steps += 1
        return (first or moving) and self._settle_steps <= SETTLE_LIMIT

    def _held(self, debug: dict[str, Any]) -> int:
        return int(debug.get("right_held_id") or 0)

    def _build(self, action: np.ndarray, debug: dict[str, Any], stones: list[dict[str, Any]]) -> bool:
        """One step of building; False once every spot of the staircase holds a stone."""
        assert self.stair is not None
        if self.carry is not None:
            if self.carry.act(action, debug):
                return True
            self.carry = None
        spots = self.stair.spots()
        free = list(stones)
        for spot in spots:
            here = next((e for e in free if _in_spot(e["position"], spot)), None)
            if here is not None:
                free.remove(here)
                continue
            # This spot is the next one to fill (bottom layer first): carry the nearest stone not in a spot.
            body = debug["body_position"]
            loose = [e for e in free if not any(_in_spot(e["position"], other) for other in spots)]
            if not loose:
                return False
            on_ground = spot[1] - self.stair.ground < STONE_SIZE
            back = STAND_BACK if on_ground else STONE_SIZE  # on the step behind the spot
            # A loose stone lying where this one goes, or where the body stands to put it down, would stop the carried
            # one being lowered or the body getting there (stones at rest are static): it goes in first.
            stand = (spot[0] - self.stair.heading[0] * back, spot[1], spot[2] - self.stair.heading[1] * back)
            blocking = [
                e for e in loose if _blocks(e["position"], spot) or (on_ground and _crowds(e["position"], stand))
            ]
            stone = min(
                blocking or loose, key=lambda e: math.hypot(e["position"][0] - body[0], e["position"][2] - body[2])
            )
            # A small gap per column back from the cliff: stones put down side by side do not overlap.
            column = round(-self.stair.along(spot))
            x, y, z = spot
            spot = (x - self.stair.heading[0] * PLACE_GAP * column, y, z - self.stair.heading[1] * PLACE_GAP * column)
            yaws = {item.id: item.yaw for item in self.motor.world.items} if self.motor.world is not None else {}
            self.carry = Carry(
                self.motor,
                int(stone["id"]),
                spot,
                self.stair.heading,
                back,
                item_yaw=float(yaws.get(int(stone["id"]), 0.0)),
                yaw=math.degrees(math.atan2(-self.stair.heading[0], -self.stair.heading[1])),
            )
            self.carry.act(action, debug)
            return True
        return False


def _blocks(position: Any, spot: Vec3) -> bool:
    """Whether a stone at `position` takes up room a stone put into `spot` needs (any yaw: its footprint reaches
    BLOCKING m from its centre at most)."""
    return (
        math.hypot(float(position[0]) - spot[0], float(position[2]) - spot[2]) < BLOCKING
        and abs(float(position[1]) - spot[1]) < STONE_SIZE
    )


def _crowds(position: Any, stand: Vec3) -> bool:
    """Whether a stone at `position` leaves no room for the body at `stand` (its shell, any yaw, within CROWDING)."""
    return math.hypot(float(position[0]) - stand[0], float(position[2]) - stand[2]) < CROWDING


def _in_spot(position: Any, spot: Vec3) -> bool:
    return (
        math.hypot(float(position[0]) - spot[0], float(position[2]) - spot[2]) < PLACED
        and abs(float(position[1]) - spot[1]) < PLACED
    )
