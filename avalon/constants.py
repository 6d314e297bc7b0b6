"""Constants shared by Python and the Godot game.

Python owns every number here; `avalon.codegen` writes them into `godot_project/generated/constants.gd` and
`tests/test_codegen.py` fails if that file is stale. Values follow the original benchmark (reference sections 5, 6
and 9) unless a comment says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

PROTOCOL_VERSION = 2
WORLD_FORMAT_VERSION = 1

# --- time and physics -------------------------------------------------------------------------------------------
PHYSICS_FPS = 10  # one env step = one physics tick = one rendered frame
GRAVITY = 10.0  # m/s^2

# --- agent body (reference section 6) ---------------------------------------------------------------------------
AGENT_HEIGHT = 2.0  # m, feet to top of head
BODY_RADIUS = 0.3  # m, capsule radius (the original's 0.1 let the body clip into tree trunks)
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
GRAB_RADIUS = 0.15  # m from the hand to the surface of a grabbable thing
EAT_RADIUS = 0.5  # m, held food whose centre comes this close to the head is eaten
MIN_FALL_SPEED = 10.0  # m/s, speed change below which a landing does no damage
FALL_DAMAGE_COEFFICIENT = 2.6e-5  # damage = coef * BODY_MASS * (dv^2 - MIN_FALL_SPEED^2)
BODY_MASS = 60.0  # kg
PLUCK_SPEED = 1.0  # m/s, attached food leaves its stem when it is pulled faster than this
CAMERA_FOV = 90.0  # deg, vertical
CAMERA_NEAR = 0.02  # m
CAMERA_FAR = 256.0  # m

# --- observation ------------------------------------------------------------------------------------------------
DEPTH_MAX_M = 64.0  # depth encoding: A = 255 * sqrt(min(z, DEPTH_MAX_M) / DEPTH_MAX_M)
DEFAULT_RESOLUTION = 96

# --- reward, score, episode end (reference section 9) -----------------------------------------------------------
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

# Entity kinds reported in observations, in this order (foods first, easy to hard, as in the reference).
FOOD_KINDS: tuple[str, ...] = (
    "apple", "banana", "cherry", "honeycomb", "mulberry", "fig", "orange", "avocado", "coconut", "carrot",
)  # fmt: skip
TOOL_KINDS: tuple[str, ...] = ("rock", "stick")
STATIC_KINDS: tuple[str, ...] = ("altar", "fruit_tree", "block")
ENTITY_KINDS: tuple[str, ...] = FOOD_KINDS + TOOL_KINDS + STATIC_KINDS


class EntityFlag(IntEnum):
    """Bits of an entity's `flags` byte in observations."""

    EDIBLE = 1  # food that can be eaten now (opened, not buried, not destroyed)
    ATTACHED = 2  # hanging from a tree
    HELD = 4  # in a hand
    EATEN = 8
    DESTROYED = 16  # squished, dirty, lost
    UNOPENED = 32  # openable food still closed
    BURIED = 64  # carrot still in the ground


@dataclass(frozen=True)
class FoodInfo:
    """One row of the food table (reference 5.1)."""

    name: str
    energy: float  # hit points gained when eaten
    radius: float  # m, collision sphere
    mass: float  # kg
    on_tree: bool  # may hang from a fruit tree
    on_ground: bool  # may lie on the ground / altar
    open_speed: float  # m/s impact that opens it; 0 = not openable
    needs_rock: bool  # opens only when hit by (or hitting) a rock
    squish_speed: float  # m/s impact that destroys it; 0 = never
    dirty_on_ground: bool  # becomes inedible when it touches the terrain
    tool_probability: float  # chance that the generator says a tool is needed (reference 3, EAT)


FOODS: tuple[FoodInfo, ...] = (
    FoodInfo("apple", 1.0, 0.12, 0.2, True, True, 0.0, False, 0.0, False, 0.0),
    FoodInfo("banana", 0.5, 0.12, 0.2, True, True, 0.0, False, 0.0, False, 0.0),
    FoodInfo("cherry", 1.0, 0.08, 0.05, True, True, 0.0, False, 0.0, False, 0.0),
    FoodInfo("honeycomb", 0.5, 0.14, 0.3, True, False, 0.0, False, 0.0, True, 0.0),
    FoodInfo("mulberry", 1.0, 0.08, 0.05, True, True, 0.0, False, 0.0, False, 0.0),
    FoodInfo("fig", 1.0, 0.1, 0.1, True, True, 0.0, False, 2.0, False, 0.0),
    FoodInfo("orange", 1.0, 0.13, 0.25, True, True, 1.0, False, 0.0, False, 0.1),
    FoodInfo("avocado", 1.0, 0.12, 0.25, True, True, 1.0, True, 0.0, False, 1.0),
    FoodInfo("coconut", 1.0, 0.18, 1.0, True, True, 5.0, False, 0.0, False, 0.25),
    FoodInfo("carrot", 1.0, 0.1, 0.15, False, True, 0.0, False, 0.0, False, 0.0),
)
FOOD_BY_NAME: dict[str, FoodInfo] = {f.name: f for f in FOODS}

ROCK_MASS = 1.0  # kg
STICK_MASS = 5.0  # kg
STICK_RADIUS = 0.05  # m
TOOL_NAMES = TOOL_KINDS


def _check_tables() -> None:
    names = tuple(f.name for f in FOODS)
    if names != FOOD_KINDS:
        raise ValueError(f"FOODS order {names} must match FOOD_KINDS {FOOD_KINDS}")
    if len(set(ENTITY_KINDS)) != len(ENTITY_KINDS):
        raise ValueError("ENTITY_KINDS has duplicates")
    for food in FOODS:
        if not (food.on_tree or food.on_ground):
            raise ValueError(f"food {food.name} can be placed nowhere")
        if food.needs_rock and food.open_speed <= 0:
            raise ValueError(f"food {food.name} needs a rock but is not openable")


_check_tables()
