"""Constants shared by Python and the Godot game.

Python owns every number here; `avalon.codegen` writes them into `godot_project/generated/constants.gd` and
`tests/test_codegen.py` fails if that file is stale. Values follow the original benchmark unless a comment
says otherwise.
"""

from __future__ import annotations

from enum import IntEnum

# 3: an OBS entity carries its kind as u16 and its flags as u32. 4: a RESET's world may be packed. 5: an OBS entity
# carries its hit points and yaw (animals).
PROTOCOL_VERSION = 5
# What a RESET carries (docs/world_format.md "On the wire"): an encoded world as it is, or packed: zstd-compressed
# behind a 12-byte header of this version. Either side refuses an encoded world longer than MAX_WORLD_BYTES, raw or
# once inflated: the format's own limits (4096 x 4096 heights, 100,000 trees, 4096 items) stay under 105 MB, and the
# bound keeps a forged size from making Godot allocate more than a real world could need.
PACKED_WORLD_VERSION = 1
MAX_WORLD_BYTES = 1 << 27
# 2: the header carries the payload's SHA-256 (Godot checks it natively) instead of a CRC-32. 3: terrain `cell_size`
# (metres between heightmap points; 0.5 m for sub-metre obstacle features).
WORLD_FORMAT_VERSION = 3
# Terrain grid spacing (docs/world_format.md). Obstacle tasks use FINE_CELL_SIZE, the original's 0.5 m everywhere, so
# a 2.1 m gap or a 1.5 m path is drawn within half a metre of its design; both sides refuse spacings outside the
# limits (below 0.1 m a 100 m world would pass the points-per-axis limit; above 10 m nothing stands on a cell).
FINE_CELL_SIZE = 0.5  # m
MIN_TERRAIN_CELL_SIZE = 0.1  # m
MAX_TERRAIN_CELL_SIZE = 10.0  # m
# Bumped whenever a game rule or body constant changes what an episode's score can be (food shapes, the eat and grab
# overlaps, the body's radius, ...): scores recorded under another rules version are not comparable. Random
# baselines and evaluation runs record it. 2: the original's food sizes, overlap eating and grabbing, body r 0.1.
# 3: climbing (docs/body.md "Climbing"). 4: pushing and the heavy items (stone, boulder, log: freezing, ground logic),
# release speed scaled by RELEASE_MASS / mass (docs/body.md "Pushing", "Heavy items"); no falling speed builds up
# while the body is held up by what is not floor (docs/body.md "Falling speed when held up"). 5: the stone's rest
# freeze (docs/body.md "Heavy items").
RULES_VERSION = 5

# --- time and physics -------------------------------------------------------------------------------------------
PHYSICS_FPS = 10  # one env step = one physics tick = one rendered frame
GRAVITY = 10.0  # m/s^2

# --- agent body (the original's) ---------------------------------------------------------------------------
AGENT_HEIGHT = 2.0  # m, feet to top of head
BODY_RADIUS = 0.1  # m, capsule radius, the original's (docs/body.md: 0.3 was measured against it)
HEAD_HEIGHT_MIN = 0.2  # m above the feet (crouch limit)
HEAD_HEIGHT_MAX = 2.0  # m above the feet
MAX_HEAD_LINEAR_SPEED = 0.3  # m per step -> 3 m/s walking
MAX_HEAD_PITCH_SPEED = 5.0  # deg per step
MAX_HEAD_YAW_SPEED = 10.0  # deg per step
MAX_HEAD_ROLL_SPEED = 1.0  # deg per step
MAX_HEAD_PITCH = 80.0  # deg, |pitch| clamp
MAX_HEAD_ROLL = 30.0  # deg, |roll| clamp
MAX_HAND_LINEAR_SPEED = 1.0  # m per step, in the head frame
MAX_HAND_ANGULAR_SPEED = 15.0  # deg per step
ARM_LENGTH = 1.0  # m, hands stay within this distance of the head
HAND_REST_OFFSET = (0.5, -0.5, -0.5)  # right hand at spawn, head frame (left hand mirrors x)
JUMP_HEIGHT = 1.5  # m
FLOOR_MAX_ANGLE = 45.0  # deg
STARTING_HIT_POINTS = 1.0
GRAB_RADIUS = 0.15  # m, a sphere at the hand: it grabs what its sphere overlaps (an apple up to 0.65 m away)
EAT_RADIUS = 0.5  # m, a sphere at the head: held food whose shape overlaps it is eaten (an apple up to 1.0 m away)
MIN_FALL_SPEED = 10.0  # m/s, speed change below which a landing does no damage
FALL_DAMAGE_COEFFICIENT = 2.6e-5  # damage = coef * BODY_MASS * (dv^2 - MIN_FALL_SPEED^2)
BODY_MASS = 60.0  # kg
# Climbing (docs/body.md, "Climbing"): a hand holds where the line from the head through it meets a climbable surface,
# up to GRAB_RADIUS beyond it; holds pull the body; at the top it steps up onto the ledge.
# Standing, a floor-like hold counts only on the lip of a drop (so a climber can go down over it): where the ground
# CLIMB_EDGE_PROBE further along the reach is more than CLIMB_EDGE_DROP lower, or absent.
CLIMB_EDGE_PROBE = 0.3  # m
CLIMB_EDGE_DROP = 1.0  # m
CLIMB_LEDGE_OVERSHOOT = 0.5  # m: the ledge is probed this far beyond the holds, horizontally, away from the body
CLIMB_LEDGE_HEAD_CLEARANCE = 0.1  # m: the eyes must be this far above the ledge (see over it) to step up onto it
CLIMB_LEDGE_MIN_STEP = 0.1  # m: a ledge must be at least this far above the feet (lower: just let go)
CLIMB_LEDGE_LIFT = 0.05  # m: the feet are put this far above the ledge, then gravity sets them down
# Pushing (docs/body.md "Pushing"): on walking ticks on the floor, a pushable item the body walks into gets an impulse
# giving it the body's speed minus its own times clamp(PUSH_MASS / mass, 0, 1) (the original: a 60 kg body x a push
# force of 5), at PUSH_HEIGHT_FRACTION of its size above its centre.
PUSH_MASS = 300.0  # kg
PUSH_HEIGHT_FRACTION = 0.1
# A released item keeps the hand's velocity up to this mass and RELEASE_MASS / mass of it above (the original: a 60 kg
# body x 0.05 x 3), so a heavy item is laid down rather than thrown.
RELEASE_MASS = 9.0  # kg
# Heavy items (docs/body.md "Heavy items"): every FREEZE_CHECK_TICKS an item whose mean speed since the last check
# (its net displacement, and net rotation, over that time) is below FREEZE_SPEED (m/s, and rad/s) turns static, so
# stacks stay stacked at 10 Hz.
FREEZE_CHECK_TICKS = 10  # ticks, 1 s
FREEZE_SPEED = 0.05
# Ground logic of heavy items: f = the fraction of the last GROUND_HISTORY_TICKS ticks touching terrain; gravity scale
# GROUND_GRAVITY_MIN + (1 - GROUND_GRAVITY_MIN)(1 - f); touching terrain slower than GROUND_DAMP_SPEED,
# D = (GROUND_DAMP_SPEED - v) / GROUND_DAMP_SPEED * 2 + 4 f, linear damping GROUND_LINEAR_DAMP D and angular
# GROUND_ANGULAR_DAMP D (per second), times the kind's factors.
GROUND_HISTORY_TICKS = 10
GROUND_GRAVITY_MIN = 0.2
GROUND_DAMP_SPEED = 10.0  # m/s
GROUND_LINEAR_DAMP = 0.5
GROUND_ANGULAR_DAMP = 2.0
# Animals (docs/animals.md): an animal this far or farther from the player's body (3-D) is frozen: it does not move,
# bite or count down (the original's 50 m).
ANIMAL_FREEZE_DISTANCE = 50.0  # m
# Damage both ways (docs/animals.md "Damage, death, eating"). A weapon's hit does WEAPON_DAMAGE (every weapon, the
# large ones too: the original's), floored by the animal. A rock hurts only while "dangerous": not held, touching no
# terrain and moving at THROWN_ROCK_DANGER_SPEED or more after a throw (released touching no terrain; its first
# terrain contact ends the throw), or at FALLING_ROCK_DANGER_SPEED or more in any case; and only when it meets the
# animal at ROCK_HIT_SPEED or more. A stick hurts whenever a hand holds it.
WEAPON_DAMAGE = 1.0  # hit points
ROCK_HIT_SPEED = 0.5  # m/s, relative to the animal
THROWN_ROCK_DANGER_SPEED = 1.0  # m/s
FALLING_ROCK_DANGER_SPEED = 10.0  # m/s
# After a hit an animal takes no damage until its invincibility counter, 1 on the hit's tick and +1 every tick
# after (held or frozen too), passes ANIMAL_INVINCIBLE_TICKS and returns to 0: hits in the next 8 ticks do nothing.
ANIMAL_INVINCIBLE_TICKS = 9
ANIMAL_PAIN_FLASH_TICKS = 4  # ticks the body shows the hit
# An animal falling freely (rigid: released in the air, dead) that lands on the terrain faster than this downward
# takes floor(speed / ANIMAL_FALL_DAMAGE_SPEED) hit points.
ANIMAL_FALL_DAMAGE_SPEED = 40.0  # m/s
PLUCK_SPEED = 1.0  # m/s, attached food leaves its stem when it is pulled faster than this
CAMERA_FOV = 90.0  # deg, vertical
CAMERA_NEAR = 0.02  # m
# Far plane and distance fog (docs/protocol.md "Far rendering"): everything in a world fades from its own colour at
# FOG_BEGIN m from the eye (straight-line distance) into the sky's colour in its direction, reached at CAMERA_FAR, so
# a world wider than the far plane (512 m islands) meets the sky without a hard edge. Colour only: the depth (alpha)
# is untouched. Measured on the 2-core VM (llvmpipe, loaded by other work), medians of 5 runs of 300 steps at 96x96
# (figures in docs/protocol.md): the fog costs nothing that stands out of the noise (`python -m avalon.bench
# --far-rendering`: 512 m island 79 steps/s with it and without; an EAT world 520 and 474), and a far plane of 192,
# 320 or 384 m instead of 256 m did not change the island's Godot CPU time per step beyond the noise (7.4-8.7 ms
# looking around, 10.2-12.3 ms walking; 64 m: 6.1 and 6.5). So CAMERA_FAR stays 256 m, and FOG_BEGIN lies just
# beyond the farthest two points of every task's world (DESCEND's: 175 m with its mesa's height), whose frames are
# thus exactly as without fog.
CAMERA_FAR = 256.0  # m
FOG_BEGIN = 180.0  # m

# --- observation ------------------------------------------------------------------------------------------------
DEPTH_MAX_M = 64.0  # depth encoding: A = 255 * sqrt(min(z, DEPTH_MAX_M) / DEPTH_MAX_M)
DEFAULT_RESOLUTION = 96

# --- reward, score, episode end (the original's) -----------------------------------------------------------
STEP_COST = 1e-4  # subtracted from the reward every step; also the score's per-frame time bonus
FRAMES_ALIVE_AFTER_FOOD_GONE = 20


class MessageType(IntEnum):
    """Message ids of the protocol (docs/protocol.md)."""

    HELLO = 1
    STEP = 2
    OBS = 3
    CLOSE = 4
    ERROR = 5
    INPUT = 6  # human mode only: the player's keys and mouse over the last tick, before each OBS
    HUD = 7  # human mode only: what the window shows (JSON)


class HumanKey(IntEnum):
    """Bit numbers of the `keys` field of an INPUT message (human mode): a bit is set when the key was held at the
    end of the tick or pressed at any time during it."""

    FORWARD = 0  # W
    BACK = 1  # S
    LEFT = 2  # A
    RIGHT = 3  # D
    JUMP = 4  # Space
    CROUCH = 5  # C or Ctrl
    GRAB_LEFT = 6  # left mouse button
    GRAB_RIGHT = 7  # right mouse button
    THROW_LEFT = 8  # Q
    THROW_RIGHT = 9  # E
    EAT = 10  # F
    CONTINUE = 11  # Enter


class HumanStatus(IntEnum):
    """Bits of the `status` field of an INPUT message."""

    PAUSED = 1  # Esc: the controls overlay is up and the world must not advance
    GIVE_UP = 2  # Backspace while paused: the player abandons this world
    CLOSE = 4  # the window was closed


class Command(IntEnum):
    """Per-environment command inside a STEP message."""

    IDLE = 0
    ACT = 1
    RESET = 2


ACTION_NAMES: tuple[str, ...] = (
    "head_x", "head_y", "head_z", "head_pitch", "head_yaw", "head_roll",
    "left_hand_x", "left_hand_y", "left_hand_z", "left_hand_pitch", "left_hand_yaw", "left_hand_roll",
    "right_hand_x", "right_hand_y", "right_hand_z", "right_hand_pitch", "right_hand_yaw", "right_hand_roll",
    "left_grasp", "right_grasp", "jump",
)  # fmt: skip
ACTION_SIZE = len(ACTION_NAMES)
NUM_REAL_ACTIONS = 18

_VEC = ("x", "y", "z")
_ROT = ("pitch", "yaw", "roll")
PROPRIO_NAMES: tuple[str, ...] = (
    *(f"body_delta_position_{a}" for a in _VEC),
    *(f"body_delta_rotation_{a}" for a in _ROT),
    *(f"{p}_delta_position_{a}" for p in ("head", "left_hand", "right_hand") for a in _VEC),
    *(f"{p}_delta_rotation_{a}" for p in ("head", "left_hand", "right_hand") for a in _ROT),
    *(f"{p}_relative_position_{a}" for p in ("head", "left_hand", "right_hand") for a in _VEC),
    *(f"{p}_relative_rotation_{a}" for p in ("head", "left_hand", "right_hand") for a in _ROT),
    "left_hand_touching",
    "right_hand_touching",
    "left_hand_holding",
    "right_hand_holding",
    "fall_damage",
    "hit_points_lost_from_enemies",
    "hit_points_gained_from_eating",
    "hit_points",
    "frames_remaining",  # Godot sends the frame number here; the env replaces it
)
PROPRIO_SIZE = len(PROPRIO_NAMES)

STATE_NAMES: tuple[str, ...] = (
    "hit_points",
    "hit_points_gained_from_eating",  # this tick
    "hit_points_lost_from_enemies",  # this tick
    "fall_damage",  # this tick
    "is_dead",
    "edible_food_remaining",  # food that can still be eaten (attached, buried and unopened food count)
    "food_eaten",  # cumulative this episode
    "food_destroyed",  # cumulative: squished, dirty, lost
    "body_x", "body_y", "body_z",
    "head_x", "head_y", "head_z",
    "head_pitch", "head_yaw", "head_roll",
    "left_hand_x", "left_hand_y", "left_hand_z",
    "right_hand_x", "right_hand_y", "right_hand_z",
    "left_held_id", "right_held_id",  # item id or 0
    "is_on_floor",
)  # fmt: skip
STATE_SIZE = len(STATE_NAMES)


class EntityFlag(IntEnum):
    """Bits of an entity's `flags` (u32) in observations. Kinds, their ids and capabilities: `avalon.entities`."""

    EDIBLE = 1  # food that can be eaten now (opened, not buried, not destroyed)
    ATTACHED = 2  # hanging from a tree
    HELD = 4  # in a hand
    EATEN = 8
    DESTROYED = 16  # squished, dirty, lost
    UNOPENED = 32  # openable food still closed
    BURIED = 64  # carrot still in the ground
    DEAD = 128  # an animal that was killed (dead prey are edible)
    ACTIVE = 256  # an animal in its active behaviour: prey fleeing, a predator chasing
    FROZEN = 512  # an animal too far from the player to move (ANIMAL_FREEZE_DISTANCE)
    LOCKED = 1024  # a lock still closed; a door with a closed lock (docs/doors.md)
    LATCHED = 2048  # a door held shut by its latch until grabbed
    OPEN = 4096  # a door turned or slid away from its shut pose (DOOR_OPEN_DEGREES, DOOR_OPEN_METRES)


class DoorMechanics(IntEnum):
    """How a hinge door swings (its `mechanics` field): away from its approach face, toward it, or both ways."""

    PUSH = 0
    PULL = 1
    BOTH = 2


class Latching(IntEnum):
    """A door's `latching` field: never latched; latched until the first grab; latched again on every release."""

    NONE = 0
    ONCE = 1
    AUTO = 2


DOOR_OPEN_DEGREES = 5.0  # a hinge door turned this far from shut reports EntityFlag.OPEN
DOOR_OPEN_METRES = 0.05  # a sliding door slid this far from shut reports EntityFlag.OPEN


FOOD_HEIGHT_ON_TREE = 2.0  # m above the ground at the trunk (the original's canonical height)
FOOD_OFFSET_FROM_TRUNK = 1.25  # m, horizontal distance from the trunk axis to hanging food
