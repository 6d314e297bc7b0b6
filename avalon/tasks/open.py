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

import math
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from avalon.constants import DoorMechanics, Latching
from avalon.difficulty import Knob, decompose_weighted_mean
from avalon.tasks import common as c
from avalon.tasks import indoor
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
from avalon.world.spec import Item, WorldSpec

T = TypeVar("T")

GENERATOR_VERSION = 1
TASK_NAME = "open"
VARIANTS: tuple[str, ...] = ()
FOOD = "apple"

SITE_RADIUS = Knob(easy=7.0, hard=15.0)  # m; the building is floor(sqrt(2) r) tiles a side
MAX_ROOMS_EXTRA = 3.0  # rooms cap = 2 + round(clip N(3 d, ROOMS_SIGMA) to [0, 3])
ROOMS_SIGMA = 0.1
STOREYS = 2  # the upper one decorative, unlinked
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


def generate(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    side = indoor.side_for_radius(SITE_RADIUS.lerp(d))
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
    building = indoor.place(Layout(footprints, rooms=ordered + upper, doorways=doorways).building((0.0, 0.0, 0.0)))
    apple = indoor.food_on_floor(building, 0, ordered[-1].centre, FOOD)
    start = indoor.spawn(rng, d, building.tile_centre(0, *ordered[0].centre), apple.position)
    items = (apple, *doors(rng, d, building, doorways))
    return indoor.world(TASK_NAME, difficulty, GENERATOR_VERSION, building, items, start)
