"""OPEN: open the doors between a chain of rooms to reach the food in the last one.

What is generated: a sealed two-storey building (docs/buildings.md) on a small flat square: the ground storey's rooms
(the reference's house-like rooms) lie on a chain, each pair of consecutive rooms sharing a wall at least 3 tiles long
with a 1 x 3 m doorway in its middle and a door in the doorway, standing on the face of the room the chain comes
from; the storey above is decorative and unreachable. The spawn is at the centre of the first room, an apple on the
floor at the centre of the last.

How difficulty scales (as the original's code): building side floor(sqrt(2) r) tiles with r = 7 + 8 d (9 -> 21);
at most 2 + round(clip N(3 d, 0.1)) rooms (2 -> 5; the splits decide how many there are, so this is a cap); one door
per link of the chain. Each door splits d (weighted mean, weights 4 : 0.5 : 1) into a lock, a latching and a mechanics
difficulty, and draws each choice with weights the Gaussian density (sigma 0.125) of its key at that difficulty:
mechanics 0.25 hinge push-and-pull, 0.5 push only, 0.75 pull only, 1 sliding; locks 0.125 none, 0.25 button, 0.675
rotating bar, 0.725 rotating bar + button, and on doors that cannot be pulled also 0.375 bottom sliding bar, 0.5 top
sliding bar, 0.75 both, 0.8 rotating + bottom bar, 0.925 rotating + bottom + button; latching 0.5 once, 0.75 after
every release, and 0.25 never only for doors without locks. The spawn looks at the food at d = 0; its yaw turns by
up to 180 d degrees (either way, to 10 degree steps) and its pitch up by up to 100 d degrees.

Deliberate differences: locks are keyed on the lock difficulty (the original keys them on the overall d, a bug:
the split then shifts only mechanics and latching); sliding bars work (docs/doors.md); windows are 1 m wide tiles of
the exterior wall, 0.75 to 2.75 m above the floor, instead of 1.5 m openings on a 1/3 m grid; the chain is the
shortest path through all rooms (the original approximates it with a TSP heuristic).

What success needs: eating the apple: working each door's locks (grab the button, turn the bar up, slide the bars
out), grabbing a latched door, opening it (walking into a push door, pulling a pull door, sliding a sliding door
along the wall) and walking through, room after room.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from avalon.constants import DoorMechanics, Latching
from avalon.difficulty import Knob, decompose_weighted_mean
from avalon.tasks import common as c
from avalon.world import terrain as tr
from avalon.world.builders import flat_terrain
from avalon.world.building import SIDE_STEP, Building, Side, Tile
from avalon.world.layout import (
    Doorway,
    ImpossibleLayoutError,
    Layout,
    chain,
    doorway_between,
    house_rooms,
    rectangle_footprints,
)
from avalon.world.spec import Item, Spawn, Terrain, Vec3, WorldSpec

T = TypeVar("T")

GENERATOR_VERSION = 1
TASK_NAME = "open"
VARIANTS: tuple[str, ...] = ()
FOOD = "apple"

SITE_RADIUS = Knob(easy=7.0, hard=15.0)  # m; the building is floor(sqrt(2) r) tiles a side
MAX_ROOMS_EXTRA = 3.0  # rooms cap = 2 + round(clip N(3 d, ROOMS_SIGMA) to [0, 3])
ROOMS_SIGMA = 0.1
STOREYS = 2  # the upper one decorative, unlinked
TERRAIN_MARGIN = 2  # m of flat ground round the building
FLOOR_TOP = 1.0  # m: the ground storey's 1 m floor slab stands on the terrain at 0
DOOR_WEIGHTS = (4.0, 0.5, 1.0)  # lock, latching, mechanics difficulties (weighted mean = d)
CHOICE_SIGMA = 0.125
SLIDING = "sliding"
MECHANICS: tuple[tuple[float, DoorMechanics | str], ...] = (
    (0.25, DoorMechanics.BOTH),
    (0.5, DoorMechanics.PUSH),
    (0.75, DoorMechanics.PULL),
    (1.0, SLIDING),
)
BUTTON, ROTATING, TOP, BOTTOM = "button", "rotating", "top", "bottom"
LOCKS_ANY: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.125, ()),
    (0.25, (BUTTON,)),
    (0.675, (ROTATING,)),
    (0.725, (ROTATING, BUTTON)),
)
LOCKS_NOT_PULLABLE: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.375, (BOTTOM,)),
    (0.5, (TOP,)),
    (0.75, (BOTTOM, TOP)),
    (0.8, (ROTATING, BOTTOM)),
    (0.925, (ROTATING, BOTTOM, BUTTON)),
)
LATCHING = ((0.5, Latching.ONCE), (0.75, Latching.AUTO))
LATCHING_NONE = (0.25, Latching.NONE)  # offered only to doors without locks
SPAWN_YAW_TURN = 180.0  # degrees times d, either way
SPAWN_YAW_STEP = 10.0  # degrees
SPAWN_YAW_SIGMA = 5.0
SPAWN_PITCH_UP = 100.0  # degrees times d times U(0, 1), upward only (the original's)
SPAWN_PITCH_LIMIT = 70.0
FIRST_DOOR_ID = 10


def _choose(rng: np.random.Generator, options: Sequence[tuple[float, T]], d: float) -> T:
    """One option (key, value) drawn with weights the Gaussian density of its key at `d` (sigma CHOICE_SIGMA)."""
    keys = np.array([key for key, _ in options])
    weights = np.exp(-0.5 * ((keys - d) / CHOICE_SIGMA) ** 2)
    return options[int(rng.choice(len(options), p=weights / weights.sum()))][1]


def door_params(rng: np.random.Generator, d: float) -> tuple[DoorMechanics | str, tuple[str, ...], Latching]:
    """(mechanics: a DoorMechanics or SLIDING, locks, latching) for one door at difficulty d."""
    lock_d, latch_d, mechanics_d = decompose_weighted_mean(rng, d, DOOR_WEIGHTS)
    mechanics: DoorMechanics | str = _choose(rng, MECHANICS, mechanics_d)
    pullable = mechanics in (DoorMechanics.BOTH, DoorMechanics.PULL)
    locks = _choose(rng, LOCKS_ANY if pullable else LOCKS_ANY + LOCKS_NOT_PULLABLE, lock_d)
    latching = _choose(rng, LATCHING if locks else (LATCHING_NONE, *LATCHING), latch_d)
    return mechanics, locks, latching


def _slide_right(rng: np.random.Generator, building: Building, doorway: Doorway, yaw: float) -> bool:
    """Random, flipped when the tile the panel would slide in front of is no floor (a wall meets the doorway)."""
    right = bool(rng.uniform() < 0.5)
    dz, dx = SIDE_STEP[Side(doorway.side)]
    front = (doorway.z - dz, doorway.x - dx)
    # The door's local +x in world (x, z): yaw turns about +y, so +x goes to (cos yaw, -sin yaw).
    ax, az = math.cos(math.radians(yaw)), -math.sin(math.radians(yaw))
    step = 1 if right else -1
    tile = (front[0] + round(az) * step, front[1] + round(ax) * step)
    tiles = building.storeys[doorway.storey].tiles
    if tiles[tile] != Tile.FLOOR:
        right = not right
    return right


def doors(rng: np.random.Generator, d: float, building: Building, doorways: Sequence[Doorway]) -> list[Item]:
    items: list[Item] = []
    next_id = FIRST_DOOR_ID
    for doorway in doorways:
        mechanics, locks, latching = door_params(rng, d)
        position, yaw = doorway.door_pose(building)
        if mechanics == SLIDING:
            door = Item.sliding_door(
                next_id, position, yaw, slide_right=_slide_right(rng, building, doorway, yaw), latching=latching
            )
        else:
            door = Item.hinge_door(
                next_id,
                position,
                yaw,
                mechanics=int(mechanics),
                hinge_right=bool(rng.uniform() < 0.5),
                latching=latching,
            )
        items.append(door)
        next_id += 1
        for lock in locks:
            if lock in (TOP, BOTTOM):
                items.append(Item.lock("sliding_bar_lock", next_id, door, top=lock == TOP))
            else:
                items.append(Item.lock(f"{lock}_lock" if lock == BUTTON else "rotating_bar_lock", next_id, door))
            next_id += 1
    return items


def indoor_spawn(rng: np.random.Generator, d: float, feet: Vec3, target: Vec3) -> Spawn:
    """The reference's indoor spawn (section 1.9): yaw toward the target turned by 180 d either way, then drawn
    among 10 degree steps weighted by a Gaussian (sigma 5) round it; pitch toward the target plus 100 d U up, clipped
    to +-70."""
    yaw = c.yaw_towards((feet[0], feet[2]), (target[0], target[2]))
    yaw += (1.0 if rng.uniform() < 0.5 else -1.0) * SPAWN_YAW_TURN * d
    steps = np.arange(-2, 3) * SPAWN_YAW_STEP + round(yaw / SPAWN_YAW_STEP) * SPAWN_YAW_STEP
    weights = np.exp(-0.5 * ((steps - yaw) / SPAWN_YAW_SIGMA) ** 2)
    yaw = float(steps[int(rng.choice(len(steps), p=weights / weights.sum()))])
    yaw = (yaw + 180.0) % 360.0 - 180.0
    eye = feet[1] + c.HEAD_HEIGHT_MAX
    pitch = math.degrees(math.atan2(target[1] - eye, math.hypot(target[0] - feet[0], target[2] - feet[2])))
    pitch += SPAWN_PITCH_UP * d * rng.uniform()
    return Spawn(feet, yaw, float(np.clip(pitch, -SPAWN_PITCH_LIMIT, SPAWN_PITCH_LIMIT)))


def indoor_terrain(building_side: int) -> Terrain:
    """A flat sand square TERRAIN_MARGIN m wider than the building on every side (an even number of metres)."""
    size = building_side + 2 * TERRAIN_MARGIN
    size += size % 2
    terrain = flat_terrain(size)
    colors = np.full(terrain.cell_colors.shape, tr.SAND, np.uint8)
    return dataclasses.replace(terrain, cell_colors=colors)


def generate(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    side = int(math.floor(math.sqrt(2.0) * SITE_RADIUS.lerp(d)))
    max_rooms = 2 + round(float(np.clip(rng.normal(MAX_ROOMS_EXTRA * d, ROOMS_SIGMA), 0.0, MAX_ROOMS_EXTRA)))
    footprints = rectangle_footprints(side, side, STOREYS)
    rooms = house_rooms(rng, footprints[0], 0, max_rooms)
    upper = house_rooms(rng, footprints[1], 1, 1)
    try:
        path = chain(rooms)
    except ImpossibleLayoutError as error:
        raise c.ImpossibleWorldError(str(error)) from error
    if len(path) < 2:
        raise c.ImpossibleWorldError(f"{len(rooms)} room: OPEN needs at least two")
    ordered = [rooms[i] for i in path]
    doorways = [doorway_between(ordered, k, k + 1) for k in range(len(ordered) - 1)]
    layout = Layout(footprints, rooms=ordered + upper, doorways=doorways)
    building = layout.building((-side / 2.0, FLOOR_TOP, -side / 2.0))
    first, last = ordered[0].centre, ordered[-1].centre
    food_xyz = building.tile_centre(0, *last)
    apple = Item.food(FOOD, 1, (food_xyz[0], food_xyz[1] + c.food_rest_height(FOOD), food_xyz[2]))
    feet = building.tile_centre(0, *first)
    spawn = indoor_spawn(rng, d, feet, apple.position)
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=indoor_terrain(side),
        items=(apple, *doors(rng, d, building, doorways)),
        spawn=spawn,
        buildings=(building,),
    )
