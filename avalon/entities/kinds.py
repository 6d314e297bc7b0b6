"""The shape of one entity kind: what a row of the entity table (`avalon.entities.table`) holds.

A kind is data: an append-only integer id (reported in observations), a name (the `kind` key of a world's items), a
family, the typed per-item fields a world spec carries for it, physical defaults, capabilities, and for foods the
food row. `avalon.codegen` writes the table into `godot_project/generated/entities.gd`; Godot builds each kind with
the script at `EntityKind.script` (docs/entities.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# Wire types of per-item fields (Godot Variant types of docs/world_format.md).
BOOL, REAL, INT, VECTOR3 = "bool", "real", "int", "vector3"
WIRE_TYPES: tuple[str, ...] = (BOOL, REAL, INT, VECTOR3)

# Extra checks a field's value must pass, on both sides (avalon.world.validate and world/world_spec.gd).
SIZE = "size"  # > 0 and at most MAX_ITEM_SIZE m (every component of a vector)
PALETTE = "palette"  # an index into the terrain palette
MASS = "mass"  # kg, > 0 and at most MAX_ITEM_MASS
LIMITS: tuple[str, ...] = ("", SIZE, PALETTE, MASS)

SHAPES: tuple[str, ...] = ("sphere", "box", "capsule", "cylinder")


class Family(str, Enum):
    """Where a kind's script lives (`godot_project/entities/<family>/`) and which base script it extends."""

    FOOD = "food"
    TOOL = "tool"
    HEAVY = "heavy"  # building material heavier than small tools: stones, boulders, logs
    STATIC = "static"
    ANIMAL = "animal"  # prey and predators: alive, moved by their behaviours each tick (docs/animals.md)
    DOOR = "door"  # doors and their locks: kinematic, moved only along their constraint (docs/doors.md)


class Capability(str, Enum):
    """What the engine may do with a kind's nodes; `is_<capability>()` on a node answers from this set (a food's
    `is_edible()` also needs it to be opened, not eaten ...)."""

    EDIBLE = "edible"
    GRABBABLE = "grabbable"
    PUSHABLE = "pushable"
    CLIMBABLE = "climbable"
    WEAPON = "weapon"
    ALIVE = "alive"


@dataclass(frozen=True)
class FieldSpec:
    """One per-item field: a key of the item's Dictionary on the wire, required for its kind."""

    name: str
    wire: str  # one of WIRE_TYPES
    default: Any = None  # what the Item constructor helpers use; None: the caller must give it
    limit: str = ""  # one of LIMITS
    doc: str = ""  # what it means (docs/entity_kinds.md is generated from it)

    def __post_init__(self) -> None:
        if self.wire not in WIRE_TYPES:
            raise ValueError(f"field {self.name!r}: wire type {self.wire!r} is not one of {WIRE_TYPES}")
        if self.limit not in LIMITS:
            raise ValueError(f"field {self.name!r}: limit {self.limit!r} is not one of {LIMITS}")
        if self.limit == PALETTE and self.wire != INT:
            raise ValueError(f"field {self.name!r}: a palette index must be an int")


@dataclass(frozen=True)
class Physics:
    """Physical defaults: mass (0 = a static body that never moves) and the collision shape in the kind's frame.

    `extents` are half sizes along x, y, z in the resting pose: a sphere of radius extents[0]; a box of half sizes
    extents; a capsule of radius extents[0] whose axis is its longest extent (y: upright, z: lying) and whose total
    half length is that extent. Kinds with size fields (rock `size`, stick `length`, altar and block `size`) scale
    their shape from those fields; `extents` is then the default item's shape.
    """

    mass: float  # kg
    shape: str  # one of SHAPES
    extents: tuple[float, float, float]  # m

    @property
    def rest_height(self) -> float:
        """m from the centre down to the support when it rests in its spawn pose."""
        return self.extents[1]

    @property
    def horizontal_radius(self) -> float:
        """m, radius of a vertical cylinder about the centre that holds the shape in its resting pose."""
        if self.shape == "box":
            return float((self.extents[0] ** 2 + self.extents[2] ** 2) ** 0.5)
        return max(self.extents[0], self.extents[2])

    @property
    def bounding_radius(self) -> float:
        """m, radius of a sphere about the centre that holds the shape."""
        if self.shape == "box":
            return float(sum(e * e for e in self.extents) ** 0.5)
        return max(self.extents)


@dataclass(frozen=True)
class FoodInfo:
    """A food's behaviour (the original's code); its shape and mass are the kind's `Physics`."""

    energy: float  # hit points gained when eaten
    on_tree: bool  # may hang from a fruit tree
    on_ground: bool  # may lie on the ground / altar
    open_speed: float  # m/s impact that opens it; 0 = not openable
    needs_rock: bool  # opens only when hit by (or hitting) a rock
    squish_speed: float  # m/s impact that destroys it; 0 = never
    dirty_on_ground: bool  # becomes inedible when it touches the terrain
    tool_odds: float  # P(tool needed) = min(1, tool_odds / d) in EAT (the original's code)
    can_be_buried: bool = False  # may start buried in the ground (carrot)


# How an animal moves (the reference's primary domain; climbers are ground animals that can also climb).
GROUND, AIR = "ground", "air"
# When a hand may grab an animal: always (a live one is held still), only dead, never.
GRAB_ALWAYS, GRAB_DEAD, GRAB_NEVER = "always", "dead", "never"


@dataclass(frozen=True)
class AnimalInfo:
    """A species' numbers (the reference's species tables); its behaviours' parameters live in its script.

    The body is the kind's `Physics` box (half extents, centred on the origin) and mass. `weapon_extents` and
    `weapon_offset` place a predator's natural weapon (its snout or sting), a box in the body frame (-z is ahead).
    """

    predator: bool
    domain: str  # GROUND or AIR
    climbs: bool  # a ground animal that climbs trees and steep ground when it must
    hit_points: float
    detection_radius: float  # m, the player within this (2-D for fliers) activates it
    grab_when: str  # GRAB_ALWAYS, GRAB_DEAD or GRAB_NEVER
    edible_alive: bool = False  # the frog: eating it alive kills it first (and gives nothing)
    energy: float = 1.0  # hit points a dead prey gives when eaten (predators are never eaten)
    bite_damage: float = 0.0  # predators: hit points a bite takes from the player
    bite_rest: int = 0  # predators: ticks of rest after a bite (bites come every rest + 1 ticks)
    dies_after_bite: bool = False  # the bee
    weapon_extents: tuple[float, float, float] = (0.0, 0.0, 0.0)  # m, half extents of the weapon box
    weapon_offset: tuple[float, float, float] = (0.0, 0.0, 0.0)  # m, its centre in the body frame
    weapon_yaw: float = 0.0  # degrees: birds' weapon boxes are yawed 45 degrees
    body_yaw: float = 0.0  # degrees the body box is turned about the vertical in the body frame (birds: 45)

    @property
    def invincible(self) -> bool:
        """Weapons do no harm (the original: 100 hit points or more, the bear and the hippo)."""
        return self.hit_points >= 100.0


@dataclass(frozen=True)
class EntityKind:
    """One row of the entity table."""

    id: int  # append-only: never reuse or renumber (observations and recordings carry it)
    name: str
    family: Family
    physics: Physics
    capabilities: frozenset[Capability]
    fields: tuple[FieldSpec, ...] = ()
    food: FoodInfo | None = None  # foods only
    doc: str = ""  # what Godot builds (docs/entity_kinds.md is generated from it)
    animal: AnimalInfo | None = None  # animals only
    field_by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "capabilities", frozenset(Capability(c) for c in self.capabilities))
        object.__setattr__(self, "family", Family(self.family))
        object.__setattr__(self, "field_by_name", {f.name: f for f in self.fields})

    @property
    def script(self) -> str:
        """The GDScript that builds this kind (`build(spec)`), as a Godot resource path."""
        return f"res://entities/{self.family.value}/{self.name}.gd"

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def is_food(self) -> bool:
        return Capability.EDIBLE in self.capabilities

    @property
    def is_animal(self) -> bool:
        return self.animal is not None

    @property
    def animal_info(self) -> AnimalInfo:
        """The species row; a ValueError for kinds that are not animals."""
        if self.animal is None:
            raise ValueError(f"{self.name} is not an animal")
        return self.animal

    @property
    def food_info(self) -> FoodInfo:
        """The food row; a ValueError for kinds that are not foods."""
        if self.food is None:
            raise ValueError(f"{self.name} is not a food")
        return self.food

    # The shape helpers of foods (and any kind): where its centre sits above its support, and how wide it is.
    @property
    def rest_height(self) -> float:
        return self.physics.rest_height

    @property
    def horizontal_radius(self) -> float:
        return self.physics.horizontal_radius

    @property
    def bounding_radius(self) -> float:
        return self.physics.bounding_radius
