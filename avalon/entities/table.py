"""The entity table: every kind a world can hold, one row each (docs/entities.md says how to add one).

Ids are explicit and append-only: a new kind takes the next free id, a retired kind keeps its id out of use
(`tests/data/entity_ids.txt` holds the ids released so far and a test compares). Foods come first in the
reference's easy-to-hard order. `_check_table` runs at import, so a bad row fails every import of the package.
"""

from __future__ import annotations

from avalon.entities.kinds import (
    AIR,
    BOOL,
    GRAB_ALWAYS,
    GRAB_DEAD,
    GRAB_NEVER,
    GROUND,
    INT,
    MASS,
    PALETTE,
    REAL,
    SHAPES,
    SIZE,
    VECTOR3,
    AnimalInfo,
    Capability,
    EntityKind,
    Family,
    FieldSpec,
    FoodInfo,
    Physics,
)

EDIBLE, GRABBABLE, CLIMBABLE, WEAPON = Capability.EDIBLE, Capability.GRABBABLE, Capability.CLIMBABLE, Capability.WEAPON
PUSHABLE, ALIVE = Capability.PUSHABLE, Capability.ALIVE

FOOD_MASS = 1.0  # kg, every food (as the original's code)
ROCK_MASS = 1.0  # kg, small and large rocks alike (the original's LargeRock is 1 kg too)
ROCK_SIZE = 0.5  # m, edge of a rock
STICK_MASS = 5.0  # kg
STICK_RADIUS = 0.05  # m
STICK_LENGTH = 1.6  # m, the original's stick
LARGE_ROCK_SIZE = 1.0  # m, edge of a large rock
LARGE_STICK_LENGTH = 3.6  # m, the original's large stick
LARGE_STICK_RADIUS = 0.1  # m
STONE_SIZE = 1.0  # m, edge of a stone (STACK's building block)
STONE_MASS = 20.0  # kg, the original's engine value (its generators ask for more; its stone script overrides them)
BOULDER_SIZE = 1.4  # m, edge of a boulder
BOULDER_MASS = 600.0  # kg, the default; PUSH draws 600 -> 2,400 kg per boulder
LOG_RADIUS = 0.7  # m, a log is a cylinder 1.4 m across ...
LOG_LENGTH = 6.4  # m, ... and this long, lying along its local x
LOG_MASS = 60.0  # kg
PLATFORM_ROCK_SIZE = (5.5, 2.5, 6.0)  # m, width, height, depth of DESCEND's platform (the original's box)
_R = 0.5  # m, the common food radius (apple, orange, honeycomb)

FOOD_FIELDS = (
    FieldSpec("attached", BOOL, False, doc="hangs from a fruit tree's stem until plucked"),
    FieldSpec("opened", BOOL, True, doc="meaningful for openable foods (open speed > 0); true for the others"),
    FieldSpec("buried", BOOL, False, doc="in the ground until the first grab (foods that can be buried)"),
)
_FOOD_DOC = "food RigidBody; shape, mass, energy and behaviour from this row"
_FOOD_CAPS = frozenset({EDIBLE, GRABBABLE})


def _food(id: int, name: str, shape: str, extents: tuple[float, float, float], info: FoodInfo) -> EntityKind:
    return EntityKind(
        id, name, Family.FOOD, Physics(FOOD_MASS, shape, extents), _FOOD_CAPS, FOOD_FIELDS, info, _FOOD_DOC
    )


# FoodInfo: energy, on tree, on ground, open speed, needs rock, squish speed, dirty on ground, tool odds
KINDS: tuple[EntityKind, ...] = (
    _food(0, "apple", "sphere", (_R, _R, _R), FoodInfo(1.0, True, True, 0.0, False, 0.0, False, 0.0)),
    _food(1, "banana", "box", (0.2, 0.35, 0.6), FoodInfo(0.5, True, True, 0.0, False, 0.0, False, 0.0)),
    # the original's cherry also has a small box beside its sphere; we keep the sphere
    _food(2, "cherry", "sphere", (0.65, 0.65, 0.65), FoodInfo(1.0, True, True, 0.0, False, 0.0, False, 0.0)),
    _food(3, "honeycomb", "sphere", (_R, _R, _R), FoodInfo(0.5, True, False, 0.0, False, 0.0, True, 0.0)),
    _food(4, "mulberry", "sphere", (0.25, 0.25, 0.25), FoodInfo(1.0, True, True, 0.0, False, 0.0, False, 0.0)),
    _food(5, "fig", "box", (0.55, 0.6, 0.55), FoodInfo(1.0, True, True, 0.0, False, 2.0, False, 0.0)),
    _food(6, "orange", "sphere", (_R, _R, _R), FoodInfo(1.0, True, True, 1.0, False, 0.0, False, 0.1)),
    # capsule lengths are not in the reference: avocado 1.1 m and carrot 1.6 m long in all (ours)
    _food(7, "avocado", "capsule", (0.4, 0.4, 0.55), FoodInfo(1.0, True, True, 1.0, True, 0.0, False, 1.0)),
    _food(8, "coconut", "box", (0.425, 0.5, 0.425), FoodInfo(1.0, True, True, 5.0, False, 0.0, False, 0.25)),
    _food(9, "carrot", "capsule", (0.5, 0.8, 0.5), FoodInfo(1.0, False, True, 0.0, False, 0.0, False, 0.0, True)),
    EntityKind(
        10,
        "rock",
        Family.TOOL,
        Physics(ROCK_MASS, "box", (ROCK_SIZE / 2, ROCK_SIZE / 2, ROCK_SIZE / 2)),
        frozenset({GRABBABLE, WEAPON}),
        (FieldSpec("size", REAL, ROCK_SIZE, SIZE, "edge length of the cube (large rocks are the large_rock kind)"),),
        doc="rigid box; a weapon, and what opens an avocado",
    ),
    EntityKind(
        11,
        "stick",
        Family.TOOL,
        # lies along its local z (Godot 3's capsule axis)
        Physics(STICK_MASS, "capsule", (STICK_RADIUS, STICK_RADIUS, STICK_LENGTH / 2)),
        frozenset({GRABBABLE, WEAPON}),
        (FieldSpec("length", REAL, STICK_LENGTH, SIZE, "total length, round ends included"),),
        doc="rigid capsule along its local z; a weapon",
    ),
    # The original's altar is a plain static table; not climbable (only trees, terrain, ladders and flagged
    # entities are).
    EntityKind(
        12,
        "altar",
        Family.STATIC,
        Physics(0.0, "box", (0.5, 0.65, 0.5)),
        frozenset(),
        (FieldSpec("size", VECTOR3, None, SIZE, "width, height, depth; `position` is the box centre"),),
        doc="static stone pillar that food rests on; not climbable",
    ),
    # Climbable like the original's fruit trees (their trunks); food hangs from it as separate attached items.
    EntityKind(
        13,
        "fruit_tree",
        Family.STATIC,
        Physics(0.0, "box", (0.1, 1.05, 0.1)),  # the trunk of a 3.5 m tree; scaled from `height`
        frozenset({CLIMBABLE}),
        (FieldSpec("height", REAL, None, SIZE, "total height; `position` is the trunk base"),),
        doc="static tree (trunk box collision, canopy mesh), climbable; its food is separate items, `attached`",
    ),
    # A box in a palette colour (walls of tests and later tasks); like the original's walls, not climbable.
    EntityKind(
        14,
        "block",
        Family.STATIC,
        Physics(0.0, "box", (0.5, 0.5, 0.5)),
        frozenset(),
        (
            FieldSpec("size", VECTOR3, None, SIZE, "width, height, depth; `position` is the box centre"),
            FieldSpec("color", INT, 0, PALETTE, "index into the terrain palette"),
        ),
        doc="static box in a palette colour (walls of tests and later tasks); not climbable",
    ),
    # DESCEND's platform: the original's static climbable rock halfway down the cliff (a 5.5 x 2.5 x 6 m box).
    EntityKind(
        15,
        "platform_rock",
        Family.STATIC,
        Physics(0.0, "box", (2.75, 1.25, 3.0)),
        frozenset({CLIMBABLE}),
        (FieldSpec("size", VECTOR3, None, SIZE, "width, height, depth; `position` is the box centre"),),
        doc="static rock (a box) that can be climbed and stood on: DESCEND's platform halfway down the cliff",
    ),
    # STACK's building block: carried, stacked into stairs, stood on.
    EntityKind(
        16,
        "stone",
        Family.HEAVY,
        Physics(STONE_MASS, "box", (STONE_SIZE / 2, STONE_SIZE / 2, STONE_SIZE / 2)),
        frozenset({GRABBABLE}),
        (FieldSpec("size", REAL, STONE_SIZE, SIZE, "edge length of the cube"),),
        doc="rigid cube that can be carried and stacked; turns static at rest, a grab wakes it",
    ),
    # PUSH's stepping stone: too heavy to lift; walking into it pushes it by the mass ratio.
    EntityKind(
        17,
        "boulder",
        Family.HEAVY,
        Physics(BOULDER_MASS, "box", (BOULDER_SIZE / 2, BOULDER_SIZE / 2, BOULDER_SIZE / 2)),
        frozenset({PUSHABLE}),
        (
            FieldSpec("size", REAL, BOULDER_SIZE, SIZE, "edge length of the cube"),
            FieldSpec("mass", REAL, BOULDER_MASS, MASS, "kg; the push moves it less the heavier it is"),
        ),
        doc="heavy rigid cube, pushed by walking into it; static at rest and while stood on",
    ),
    # BRIDGE's log: carried (one hand), laid across a chasm, walked over.
    EntityKind(
        18,
        "log",
        Family.HEAVY,
        Physics(LOG_MASS, "cylinder", (LOG_LENGTH / 2, LOG_RADIUS, LOG_RADIUS)),
        frozenset({GRABBABLE}),
        (FieldSpec("length", REAL, LOG_LENGTH, SIZE, "total length along the local x axis"),),
        doc="rigid cylinder along its local x that can be carried; static once the player touches it on the ground",
    ),
    EntityKind(
        19,
        "large_rock",
        Family.TOOL,
        Physics(ROCK_MASS, "box", (LARGE_ROCK_SIZE / 2, LARGE_ROCK_SIZE / 2, LARGE_ROCK_SIZE / 2)),
        frozenset({GRABBABLE, WEAPON}),
        (),
        doc="rigid 1 m cube; a large weapon",
    ),
    EntityKind(
        20,
        "large_stick",
        Family.TOOL,
        Physics(STICK_MASS, "capsule", (LARGE_STICK_RADIUS, LARGE_STICK_RADIUS, LARGE_STICK_LENGTH / 2)),
        frozenset({GRABBABLE, WEAPON}),
        (),
        doc="rigid capsule along its local z, 3.6 m long; a large weapon",
    ),
)


def _animal(
    id: int, name: str, mass: float, body: tuple[float, float, float], info: AnimalInfo, doc: str
) -> EntityKind:
    caps = {ALIVE}
    if not info.predator:
        caps.add(EDIBLE)  # live prey count as food: a task with prey succeeds only once it is eaten
    if info.grab_when != GRAB_NEVER:
        caps.add(GRABBABLE)  # the node decides when (alive or dead, or only dead)
    return EntityKind(id, name, Family.ANIMAL, Physics(mass, "box", body), frozenset(caps), doc=doc, animal=info)


def _prey(
    domain: str,
    climbs: bool,
    hit_points: float,
    detection: float,
    grab_when: str = GRAB_ALWAYS,
    edible_alive: bool = False,
    body_yaw: float = 0.0,
) -> AnimalInfo:
    return AnimalInfo(
        False, domain, climbs, hit_points, detection, grab_when, edible_alive=edible_alive, body_yaw=body_yaw
    )


def _predator(
    domain: str,
    climbs: bool,
    hit_points: float,
    detection: float,
    weapon: tuple[float, float, float],
    at: tuple[float, float, float],
    bite: float = 0.5,
    rest: int = 7,
    dies_after_bite: bool = False,
    weapon_yaw: float = 0.0,
    body_yaw: float = 0.0,
) -> AnimalInfo:
    grab = GRAB_NEVER if hit_points >= 100.0 else GRAB_DEAD
    return AnimalInfo(
        True,
        domain,
        climbs,
        hit_points,
        detection,
        grab,
        bite_damage=bite,
        bite_rest=rest,
        dies_after_bite=dies_after_bite,
        weapon_extents=weapon,
        weapon_offset=at,
        weapon_yaw=weapon_yaw,
        body_yaw=body_yaw,
    )


# The reference's species tables (original_animals.md section 1.6): mass, body box (half extents), hit points,
# detection radius (m; 2-D for fliers), grab rule; predators' bite (hit points), rest (ticks) and weapon box (half
# extents at an offset in the body frame, -z ahead; fliers' yawed 45 degrees). Behaviour parameters (hops, speeds,
# rests) are in each species' script (godot_project/entities/animal/<name>.gd).
BIRD_YAW = 45.0  # degrees: birds' body and weapon boxes are turned this far about the vertical (the reference's)
ANIMALS: tuple[EntityKind, ...] = (
    # prey, in the reference's order
    _animal(
        21,
        "frog",
        1.0,
        (0.75, 0.4, 0.825),
        _prey(GROUND, False, 1.0, 12.0, edible_alive=True),
        "prey; hops about at random and never flees; edible alive (eating it alive kills it first)",
    ),
    _animal(22, "turtle", 1.0, (0.7, 0.51, 1.0), _prey(GROUND, False, 1.0, 6.0), "prey; hops in circles, flees slowly"),
    _animal(
        23,
        "mouse",
        1.0,
        (0.5, 0.55, 1.0),
        _prey(GROUND, True, 1.0, 6.0),
        "prey; flees fast once the player is near and in front of it; climbs",
    ),
    _animal(24, "rabbit", 1.0, (0.6, 0.9, 0.9), _prey(GROUND, False, 1.0, 12.0), "prey; flees in long hops"),
    _animal(
        25,
        "pigeon",
        1.0,
        (0.75, 0.25, 0.75),
        _prey(AIR, False, 1.0, 6.0, body_yaw=BIRD_YAW),
        "prey; flies about its territory, flies away",
    ),
    _animal(26, "squirrel", 1.0, (0.469, 0.75, 0.938), _prey(GROUND, True, 1.0, 6.0), "prey; flees, climbs trees"),
    _animal(
        27,
        "crow",
        1.0,
        (1.0, 0.3, 1.0),
        _prey(AIR, False, 1.0, 12.0, body_yaw=BIRD_YAW),
        "prey; flies at random, flies away",
    ),
    _animal(
        28,
        "deer",
        3.0,
        (0.6, 1.8, 1.875),
        _prey(GROUND, False, 2.0, 12.0, grab_when=GRAB_DEAD),
        "prey; edges away, flees fast when close; two hits; grabbed only dead",
    ),
    # predators, in the reference's order
    _animal(
        29,
        "bee",
        1.0,
        (0.6, 0.825, 0.975),
        _predator(AIR, False, 1.0, 6.0, (0.7, 0.75, 0.75), (0.0, -0.15, -0.3), bite=0.25, dies_after_bite=True),
        "predator; flies about its territory, chases, stings once and dies",
    ),
    _animal(
        30,
        "snake",
        1.0,
        (0.8, 0.3, 0.9),
        _predator(GROUND, False, 1.0, 6.0, (1.0, 0.375, 0.2), (0.0, 0.0, -0.8), bite=5.0),
        "predator; one bite kills; once it starts chasing it never stops",
    ),
    _animal(
        31,
        "hawk",
        1.0,
        (1.25, 0.45, 1.25),
        _predator(
            AIR,
            False,
            1.0,
            12.0,
            (1.05, 0.45, 1.05),
            (0.0, -0.1, -0.5),
            bite=0.25,
            rest=64,
            weapon_yaw=BIRD_YAW,
            body_yaw=BIRD_YAW,
        ),
        "predator; circles over its territory, dives at the player in it",
    ),
    _animal(
        32,
        "hippo",
        10.0,
        (1.25, 1.625, 3.125),
        _predator(GROUND, False, 500.0, 12.0, (1.375, 1.625, 0.313), (0.0, 0.0, -3.0)),
        "predator; cannot be killed; charges when close",
    ),
    _animal(
        33,
        "alligator",
        1.0,
        (1.0, 0.675, 3.5),
        _predator(GROUND, False, 1.0, 12.0, (1.0, 0.66, 0.3), (0.0, 0.0, -3.25)),
        "predator; chases on the ground",
    ),
    _animal(
        34,
        "eagle",
        1.0,
        (1.0, 0.563, 1.0),
        _predator(
            AIR, False, 1.0, 12.0, (0.76, 0.55, 0.75), (0.0, -0.15, -0.5), weapon_yaw=BIRD_YAW, body_yaw=BIRD_YAW
        ),
        "predator; attacks only while the player does not look at it",
    ),
    _animal(
        35,
        "wolf",
        3.0,
        (0.77, 1.1, 1.98),
        _predator(GROUND, False, 2.0, 12.0, (1.1, 1.1, 0.22), (0.0, 0.0, -1.925)),
        "predator; keeps to its territory, chases fast; two hits",
    ),
    _animal(
        36,
        "jaguar",
        3.0,
        (0.797, 1.313, 3.095),
        _predator(GROUND, True, 2.0, 12.0, (0.9, 1.25, 0.3), (0.0, -0.1, -2.85)),
        "predator; stalks a moving player it sees, climbs; two hits",
    ),
    _animal(
        37,
        "bear",
        10.0,
        (1.188, 1.688, 2.688),
        _predator(GROUND, True, 500.0, 12.0, (1.375, 1.375, 0.25), (0.0, 0.0, -2.5)),
        "predator; cannot be killed; chases and climbs",
    ),
)
PREY_KINDS: tuple[str, ...] = tuple(k.name for k in ANIMALS if not k.animal_info.predator)  # easy to hard
PREDATOR_KINDS: tuple[str, ...] = tuple(k.name for k in ANIMALS if k.animal_info.predator)  # easy to hard
KINDS = KINDS + ANIMALS

# Doors and locks (docs/doors.md; the reference's sizes for a 1 x 3 m doorway). A door's `position` is the bottom
# centre of its doorway in the plane of the wall face it stands in; its local +z (yaw) faces the approach side, where
# its locks and the pull handle are. A lock's `position` and `yaw` are ignored: it sits on its door (`door`, the
# door's id, an earlier item), where its fields say; generators pass the door's pose.
DOORWAY_WIDTH = 1.0  # m, the opening a door fills (the reference's 1 m tile)
DOORWAY_HEIGHT = 3.0  # m
DOOR_MASS = 100.0  # kg (the reference's door body; a door moves only along its constraint)
_DOOR_CAPS = frozenset({GRABBABLE, PUSHABLE})
_DOOR_SIZE_FIELDS = (
    FieldSpec("width", REAL, DOORWAY_WIDTH, SIZE, "doors: width of the doorway the door fills"),
    FieldSpec("height", REAL, DOORWAY_HEIGHT, SIZE, "doors: height of the doorway the door fills"),
)
_LATCHING = FieldSpec("latching", INT, 0, doc="doors: 0 never latched, 1 until first grabbed, 2 again on each release")
_LOCK_DOOR = FieldSpec("door", INT, None, doc="locks: id of the door it locks (an earlier hinge or sliding door)")
DOORS: tuple[EntityKind, ...] = (
    EntityKind(
        38,
        "hinge_door",
        Family.DOOR,
        Physics(DOOR_MASS, "box", (0.4375, 1.4, 0.0375)),  # the panel of a 1 x 3 m doorway: 0.875 x 2.8 x 0.075
        _DOOR_CAPS,
        (
            *_DOOR_SIZE_FIELDS,
            FieldSpec("mechanics", INT, 2, doc="hinge doors: 0 push (away from the approach side), 1 pull, 2 both"),
            FieldSpec("hinge_right", BOOL, False, doc="hinge doors: hinged on the right seen from the approach side"),
            _LATCHING,
        ),
        doc="door panel with a handle on each face, turning up to 90 degrees about its hinge as its mechanics allow",
    ),
    EntityKind(
        39,
        "sliding_door",
        Family.DOOR,
        Physics(DOOR_MASS, "box", (0.5, 1.364, 0.05)),  # 1 x 2.73 x 0.1, in front of the wall on the approach side
        _DOOR_CAPS,
        (
            *_DOOR_SIZE_FIELDS,
            FieldSpec("slide_right", BOOL, True, doc="sliding doors: opens to the right seen from the approach side"),
            _LATCHING,
        ),
        doc="door panel with one handle, sliding along the wall face by up to its width",
    ),
    EntityKind(
        40,
        "button_lock",
        Family.DOOR,
        Physics(1.0, "box", (0.1, 0.1, 0.05)),
        frozenset({GRABBABLE}),
        (_LOCK_DOOR,),
        doc="red button on the wall beside the door's closing edge; grabbing it unlocks for good (it turns green)",
    ),
    EntityKind(
        41,
        "rotating_bar_lock",
        Family.DOOR,
        Physics(10.0, "box", (0.375, 0.0525, 0.025)),
        frozenset({GRABBABLE}),
        (_LOCK_DOOR,),
        doc="bar across the door, pivoting beside its closing edge; turned up 10 degrees (75 on pull doors) unlocks",
    ),
    EntityKind(
        42,
        "sliding_bar_lock",
        Family.DOOR,
        Physics(1.0, "box", (0.0375, 0.35, 0.0625)),
        frozenset({GRABBABLE}),
        (_LOCK_DOOR, FieldSpec("top", BOOL, False, doc="sliding bars: at the top (slides down) or bottom (slides up)")),
        doc="bolt at the door's closing edge into floor or lintel; slid a quarter of its travel out of it unlocks",
    ),
)
DOOR_KINDS: tuple[str, ...] = ("hinge_door", "sliding_door")
LOCK_KINDS: tuple[str, ...] = ("button_lock", "rotating_bar_lock", "sliding_bar_lock")
KINDS = KINDS + DOORS

KIND_BY_NAME: dict[str, EntityKind] = {k.name: k for k in KINDS}
KIND_BY_ID: dict[int, EntityKind] = {k.id: k for k in KINDS}
FOODS: tuple[EntityKind, ...] = tuple(k for k in KINDS if k.food is not None)
FOOD_KINDS: tuple[str, ...] = tuple(k.name for k in FOODS)  # easy to hard, as in the reference
FOOD_BY_NAME: dict[str, EntityKind] = {k.name: k for k in FOODS}


def kind(name: str) -> EntityKind:
    """The row of `name`, or a ValueError listing the known kinds."""
    row = KIND_BY_NAME.get(name)
    if row is None:
        raise ValueError(f"unknown item kind {name!r}; known kinds: {', '.join(KIND_BY_NAME)}")
    return row


def kind_name(kind_id: int) -> str:
    """The name of an observed kind id ("unknown" for an id this build does not know)."""
    row = KIND_BY_ID.get(int(kind_id))
    return row.name if row is not None else "unknown"


def _check_kind(row: EntityKind) -> None:
    where = f"entity kind {row.name!r} (id {row.id})"
    if not (0 <= row.id <= 0xFFFF):
        raise ValueError(f"{where}: ids travel as u16 in observations")
    if not row.name.isidentifier() or row.name != row.name.lower():
        raise ValueError(f"{where}: names are lower-case identifiers (they name a GDScript file)")
    if len(row.field_by_name) != len(row.fields):
        raise ValueError(f"{where}: a field name appears twice")
    reserved = {"id", "kind", "position", "yaw"} & set(row.field_by_name)
    if reserved:
        raise ValueError(f"{where}: field {sorted(reserved)[0]!r} is a key every item has")
    p = row.physics
    if p.mass < 0 or p.shape not in SHAPES or min(p.extents) <= 0:
        raise ValueError(f"{where}: physics needs mass >= 0, a shape in {SHAPES} and positive extents")
    if p.shape == "sphere" and len(set(p.extents)) != 1:
        raise ValueError(f"{where}: a sphere has three equal extents")
    if p.shape in ("capsule", "cylinder") and sorted(p.extents)[1] != min(p.extents):
        raise ValueError(f"{where}: a {p.shape} has two equal (radius) extents and a longer axis")
    if (row.family == Family.FOOD) != (row.food is not None):
        raise ValueError(f"{where}: foods, and only foods, have a food row")
    if (row.family == Family.ANIMAL) != (row.animal is not None):
        raise ValueError(f"{where}: animals, and only animals, have an animal row")
    if (row.family == Family.STATIC) != (p.mass == 0):
        raise ValueError(f"{where}: static kinds, and only they, have mass 0")
    prey = row.animal is not None and not row.animal.predator
    if (row.food is not None or prey) != (Capability.EDIBLE in row.capabilities):
        raise ValueError(f"{where}: edible kinds are the foods (with a food row: energy ...) and the prey")
    if row.animal is not None:
        a = row.animal
        if a.domain not in (GROUND, AIR) or a.grab_when not in (GRAB_ALWAYS, GRAB_DEAD, GRAB_NEVER):
            raise ValueError(f"{where}: domain is {GROUND!r} or {AIR!r}; grab_when always, dead or never")
        if p.shape != "box" or a.hit_points <= 0 or a.detection_radius <= 0:
            raise ValueError(f"{where}: an animal has a box body, hit points and a detection radius > 0")
        if (Capability.ALIVE in row.capabilities) is not True or (
            (a.grab_when != GRAB_NEVER) != (Capability.GRABBABLE in row.capabilities)
        ):
            raise ValueError(f"{where}: an animal is alive, and grabbable unless grab_when is never")
        if a.predator != (a.bite_damage > 0 and a.bite_rest > 0 and min(a.weapon_extents) > 0):
            raise ValueError(f"{where}: predators, and only they, have a bite, a rest and a weapon box")
    if row.food is not None:
        if set(row.field_by_name) != {f.name for f in FOOD_FIELDS}:
            raise ValueError(f"{where}: a food has the food fields {[f.name for f in FOOD_FIELDS]}")
        if not (row.food.on_tree or row.food.on_ground):
            raise ValueError(f"{where}: the food can be placed nowhere")
        if row.food.needs_rock and row.food.open_speed <= 0:
            raise ValueError(f"{where}: needs a rock but is not openable")


def _check_table(kinds: tuple[EntityKind, ...]) -> None:
    ids = [k.id for k in kinds]
    if len(set(ids)) != len(ids):
        raise ValueError(f"entity ids must be unique, got {ids}")
    if ids != sorted(ids):
        raise ValueError(f"entity rows must be in id order (append new kinds at the end), got {ids}")
    names = [k.name for k in kinds]
    if len(set(names)) != len(names):
        raise ValueError(f"entity names must be unique, got {names}")
    for row in kinds:
        _check_kind(row)


_check_table(KINDS)
