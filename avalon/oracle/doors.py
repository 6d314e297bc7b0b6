"""The door skill: work a door's locks, unlatch it, open it the way its mechanics allow and walk through the doorway
(docs/doors.md). Written for OPEN; any plan that meets a door may use it.

Everything is done with the right hand from the approach side, in the door's frame (local +z toward the approach
side, x along the wall, y up; `DoorFrame`):

- locks, one after the other (button, rotating bar, top bar, bottom bar): stand in front of the lock, crouch to its
  height, grab it, then move the hand along its constraint (a rotating bar up round its pivot past its threshold, a
  sliding bar out of the floor or lintel) and let go: it stays where it is released;
- the door: grab its handle (which unlatches it), then move the hand so the grabbed point goes where the door should
  be. A door follows only the angle of the hand about its hinge (or its offset along the wall), so the hand need not
  stay on the handle: a pushed door is worked with the hand inside the doorway near the hinge, a pulled one with the
  body walking round the outside of the panel's sweep. A released door stays where it is let go (latched again if it
  latches on every release), open;
- walk through on the door's free side and on to the goal.

The geometry (hinge axis, handles, lock grab points) is the engine's, mirrored below from
`godot_project/entities/door/*.gd`; the door's current opening is read from its reported pose, a lock's state from
its LOCKED flag and the hand. The skill gives up with a reason after a bounded number of steps or attempts.

Use: `skill = DoorSkill.for_door(motor, world, door_id, goal)`; then each step, while `not skill.done`,
`skill.act(action, debug)`; afterwards `skill.succeeded`, or `skill.failure` (why it gave up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import (
    AGENT_HEIGHT,
    ARM_LENGTH,
    HEAD_HEIGHT_MAX,
    HEAD_HEIGHT_MIN,
    MAX_HAND_LINEAR_SPEED,
    MAX_HEAD_LINEAR_SPEED,
    MAX_HEAD_PITCH,
    MAX_HEAD_PITCH_SPEED,
    MAX_HEAD_YAW_SPEED,
    DoorMechanics,
    EntityFlag,
)
from avalon.entities import DOOR_KINDS, LOCK_KINDS
from avalon.oracle.skills import (
    HEAD_PITCH,
    HEAD_X,
    HEAD_Y,
    HEAD_YAW,
    HEAD_Z,
    RIGHT_GRASP,
    RIGHT_HAND,
    Motor,
    angle_difference,
    entity,
    head_basis,
    horizontal,
)
from avalon.world.spec import Item, WorldSpec

Vec3 = tuple[float, float, float]

# --- The engine's door geometry (godot_project/entities/door/*.gd), in the door's shut frame. ---
# hinge_door.gd
HINGE_RADIUS = 0.05  # m, the hinge post: the axis is this far inside the jamb
HINGE_EDGE_GAP = 0.025  # m between the free edge and its jamb
HINGE_FLOOR_GAP = 0.1  # m below the panel and above it
HINGE_THICKNESS = 0.075
HINGE_HANDLE_WIDTH = 0.2  # of the panel's width (HANDLE_SCALE.x)
HINGE_HANDLE_DEPTH = 0.15  # m the loop handle stands off the face
HANDLE_MARGINS = 26.0  # the panel width beside a handle splits 25 : 1 (hinge : free edge), both kinds
HINGE_MAX_ANGLE = 90.0
# sliding_door.gd
SLIDING_FLOOR_GAP = 0.1
SLIDING_HEIGHT_FRACTION = 1.0 / 1.1  # panel height, of the doorway's
SLIDING_THICKNESS = 0.1
SLIDING_WALL_GAP = 0.01  # m between the panel and the wall face
SLIDING_HANDLE_WIDTH = 0.1  # of the doorway's width
SLIDING_HANDLE_DEPTH = 0.075
# door.gd `_add_loop_handle`: the grip is this much less than the handle's depth off the face
GRIP_INSET = 0.015
# button_lock.gd
BUTTON_DEPTH = 0.1  # m (SIZE.z), the button stands this far off the wall
BUTTON_BESIDE = 0.25  # m from the doorway's edge to the button's centre
# rotating_bar_lock.gd
BAR_LENGTH_FRACTION = 0.75  # of the doorway's width
BAR_DEPTH = 0.05
BAR_PIVOT_BESIDE = 0.05  # m beyond the doorway's edge
BAR_FACE_GAP = 0.005  # m between the bar and the door's approach face
BAR_UNLOCK_TURN = 10.0  # degrees turned up that unlock it
BAR_PULL_ONLY_UNLOCK_TURN = 75.0  # on a pull-only door
BAR_MAX_TURN = 180.0
# sliding_bar_lock.gd
BOLT_WIDTH_FRACTION = 0.075  # of the doorway's width
BOLT_LENGTH_FRACTION = 0.25  # of the panel's height
BOLT_DEPTH = 0.125
BOLT_REACH = 1.1  # its centre is this times (half panel - half bolt) from the panel's centre
BOLT_SLIDING_DOOR_TOP_REACH = 1.15
BOLT_TRAVEL_FRACTION = 0.3  # of its length
BOLT_UNLOCK_FRACTION = 0.25  # of its travel
BOLT_EDGE_GAP = 0.02  # m between the bolt and the closing edge
BOLT_KNOB = 0.1  # m, the knob's edge, on the bolt's approach face
# godot_project/player/locomotion.gd: walking slows when crouched, by clamp((head height + 0.2) / 2, 0.2, 1)
CROUCH_SPEED_OFFSET = 0.2
CROUCH_SPEED_DIVISOR = 2.0
MIN_CROUCH_SPEED_FACTOR = 0.2

# --- How the skill works them. ---
BAR_TURN_GOAL = 100.0  # degrees the oracle turns a rotating bar up (past either threshold; at most BAR_MAX_TURN)
BAR_TURN_MARGIN = 20.0  # degrees at least past the bar's threshold
BAR_HAND_RADIUS = 0.45  # m from the pivot where the hand turns the bar (it grabs near the bar's far end)
BAR_GRAB_FRACTION = 0.8  # of the bar's length from the pivot: where the hand takes hold
BAR_TURN_STEP = 30.0  # degrees per step the hand leads the bar
BOLT_SLIDE = 0.75  # of its travel the oracle slides a bolt (0.16 of 0.21 m on a 1 x 3 m door; 0.0525 m unlocks)
HINGE_OPEN_GOAL = 85.0  # degrees a hinge door is opened before it is let go
HINGE_LEAD = 30.0  # degrees the hand's angle about the hinge leads a pushed door's opening
PUSH_HAND_RADIUS = 0.35  # m from the hinge axis where the hand pushes (inside the doorway)
PULL_HAND_RADIUS = 0.75  # m from the hinge axis where the hand pulls
PULL_BODY_RADIUS = 1.3  # m from the hinge axis where the body walks while pulling: outside the panel's sweep
PULL_BODY_LEAD = 15.0  # degrees the body's angle about the hinge leads the door's (plus the handle's angle)
PULL_HAND_LEAD = 20.0  # degrees the hand's angle leads the body's
PULL_BODY_MAX_ANGLE = 80.0  # degrees: the body's farthest place round the hinge (the panel stops at 90)
SLIDING_OPEN_GOAL = 0.95  # of the width a sliding door is slid before it is let go
SLIDING_LEAD = 0.35  # m the hand leads a sliding door
SLIDING_BODY_BEHIND = 0.45  # m the body stays behind the hand along the slide
STAND_OFF = 0.35  # m in front of a grab point (local +z) where the body stands to grab it
LOCK_STAND_INSIDE = 0.2  # m from a button or bolt toward the doorway's centre where the body stands
BAR_STAND_INSIDE = 0.3  # m from a rotating bar's pivot toward the doorway's centre where the body stands
STAND_Z_MIN = 0.3  # m: the body stands at least this far in front of the wall face
PUSH_STAND = (0.6, 0.3)  # m from the hinge axis toward the free side, and in front: where the body pushes from
HEAD_ABOVE_LOW_GRAB = 0.55  # m the head crouches to above a low grab point
LOW_GRAB = HEAD_HEIGHT_MAX - 0.8  # m above the feet: grab points lower than this are reached crouched
GRASP_DISTANCE = 0.05  # m between the hand and its aim when it grasps
STAND_TOLERANCE = 0.08  # m between the body and its stand point before it grasps
LANE = 0.15  # m from the doorway's centre toward the free side: where the body walks through a hinge doorway
FRONT = 0.8  # m in front of the doorway where the walk through starts
BEYOND = 1.2  # m behind the wall face where the walk through ends (walls up to about a metre thick)
APPROACH_DISTANCE = 3.5  # m: farther from the doorway's front point, the body first walks there (planned)
REACH_PATIENCE = 50  # steps reaching for a grab point before backing off and trying again
WORK_PATIENCE = 30  # steps working a held lock or door before letting go and trying again
ATTEMPTS = 3  # tries per lock and for the door
LET_GO_STEPS = 2  # steps with the hand open and still after working something
THROUGH_PATIENCE = 25  # steps without getting nearer the next point of the walk through: stuck
MAX_STEPS = 900  # steps in all before the skill gives up


def _crouch_factor(head_height: float) -> float:
    """Walking speed factor at `head_height` m above the feet (locomotion.gd)."""
    return min(1.0, max(MIN_CROUCH_SPEED_FACTOR, (head_height + CROUCH_SPEED_OFFSET) / CROUCH_SPEED_DIVISOR))


@dataclass(frozen=True)
class DoorFrame:
    """A door's shut frame: `origin` (bottom centre of the doorway in the approach wall face) turned by `yaw`."""

    origin: np.ndarray
    yaw: float  # degrees

    @property
    def basis(self) -> np.ndarray:
        return head_basis(self.yaw, 0.0)  # columns: local x, y, z in world coordinates (Godot's yaw about +Y)

    def world(self, local: Any) -> np.ndarray:
        return self.origin + self.basis @ np.asarray(local, dtype=np.float64)

    def local(self, world: Any) -> np.ndarray:
        return self.basis.T @ (np.asarray(world, dtype=np.float64) - self.origin)


@dataclass(frozen=True)
class DoorGeometry:
    """Where a door's parts are (shut-frame coordinates) and how it moves, from its item (the engine's numbers)."""

    kind: str
    frame: DoorFrame
    width: float
    height: float
    side: float  # the closing side (+1: local +x), where the locks are; a hinge door's free edge
    mechanics: int  # hinge doors
    axis_x: float  # hinge doors: the hinge axis's x
    slide: float  # sliding doors: +1 slides toward +x
    panel_center: np.ndarray
    panel_size: np.ndarray
    handle: np.ndarray  # the approach-side handle's grip, shut

    @classmethod
    def of(cls, door: Item) -> DoorGeometry:
        if door.kind not in DOOR_KINDS:
            raise ValueError(f"item {door.id} is a {door.kind}, not a door ({', '.join(DOOR_KINDS)})")
        width, height = float(door["width"]), float(door["height"])
        frame = DoorFrame(np.asarray(door.position, dtype=np.float64), float(door.yaw))
        if door.kind == "hinge_door":
            side = -1.0 if door["hinge_right"] else 1.0
            axis_x = -side * (width / 2.0 - HINGE_RADIUS)
            panel_width = width - 2.0 * HINGE_RADIUS - HINGE_EDGE_GAP
            panel_height = height - 2.0 * HINGE_FLOOR_GAP
            center = np.array([axis_x + side * (HINGE_RADIUS + panel_width / 2.0), HINGE_FLOOR_GAP + panel_height / 2])
            size = np.array([panel_width, panel_height, HINGE_THICKNESS])
            handle_width = HINGE_HANDLE_WIDTH * panel_width
            margin = (panel_width - handle_width) / HANDLE_MARGINS
            free_edge = center[0] + side * panel_width / 2.0
            handle = np.array(
                [
                    free_edge - side * (margin + handle_width / 2.0),
                    center[1],
                    HINGE_THICKNESS / 2.0 + HINGE_HANDLE_DEPTH - GRIP_INSET,
                ]
            )
            return cls(
                door.kind,
                frame,
                width,
                height,
                side,
                int(door["mechanics"]),
                axis_x,
                0.0,
                np.array([center[0], center[1], 0.0]),
                size,
                handle,
            )
        slide = 1.0 if door["slide_right"] else -1.0
        side = -slide
        panel_height = height * SLIDING_HEIGHT_FRACTION
        center = np.array([0.0, SLIDING_FLOOR_GAP + panel_height / 2.0, SLIDING_WALL_GAP + SLIDING_THICKNESS / 2.0])
        size = np.array([width, panel_height, SLIDING_THICKNESS])
        handle_width = SLIDING_HANDLE_WIDTH * width
        margin = (width - handle_width) / HANDLE_MARGINS
        front = center[2] + SLIDING_THICKNESS / 2.0
        handle = np.array(
            [side * (width / 2.0 - margin - handle_width / 2.0), center[1], front + SLIDING_HANDLE_DEPTH - GRIP_INSET]
        )
        return cls(door.kind, frame, width, height, side, -1, 0.0, slide, center, size, handle)

    @property
    def hinged(self) -> bool:
        return self.kind == "hinge_door"

    @property
    def pull_only(self) -> bool:
        return self.hinged and self.mechanics == DoorMechanics.PULL

    @property
    def front_z(self) -> float:
        """The shut-frame z of the panel's approach face (door.gd `front_z`)."""
        return float(self.panel_center[2] + self.panel_size[2] / 2.0)

    def opening(self, record: dict[str, Any]) -> float:
        """The door's opening from its reported pose: degrees (positive toward the approach side) or metres slid."""
        if self.hinged:
            # hinge_door.gd `_pose_at`: the panel turns by -side * opening about +Y.
            return -self.side * angle_difference(float(record["yaw"]), self.frame.yaw)
        moved = np.asarray(record["position"], dtype=np.float64) - self.frame.origin
        return self.slide * float(self.frame.basis[:, 0] @ moved)

    def hinge_angle(self, local: np.ndarray) -> float:
        """Degrees of a shut-frame point about the hinge axis: 0 along the shut panel, 90 toward +z
        (hinge_door.gd `_angle`)."""
        return math.degrees(math.atan2(local[2], self.side * (local[0] - self.axis_x)))

    def about_hinge(self, angle: float, radius: float, y: float) -> np.ndarray:
        """The shut-frame point `radius` m from the hinge axis at `angle` degrees (see `hinge_angle`), `y` high."""
        a = math.radians(angle)
        return np.array([self.axis_x + self.side * radius * math.cos(a), y, radius * math.sin(a)])

    def handle_at(self, opening: float) -> np.ndarray:
        """The handle's grip (shut frame) with the door opened by `opening`."""
        if not self.hinged:
            return self.handle + np.array([self.slide * opening, 0.0, 0.0])
        radius = math.hypot(self.handle[0] - self.axis_x, self.handle[2])
        return self.about_hinge(self.hinge_angle(self.handle) + opening, radius, float(self.handle[1]))


class LockMotion(Enum):
    PRESS = "press"  # a button: the grab does it
    TURN = "turn"  # a rotating bar: up round its pivot
    SLIDE = "slide"  # a sliding bar: along its length


@dataclass(frozen=True)
class LockGeometry:
    """Where the hand takes hold of a lock (shut frame of its door) and how it is worked."""

    id: int
    kind: str
    motion: LockMotion
    grab: np.ndarray
    origin: np.ndarray  # the lock body's origin (as reported): a button's or bolt's centre, a bar's pivot
    direction: float  # a sliding bar's: +1 slides up (a bottom bar), -1 down (a top bar)
    unlock: float  # degrees (bar) or metres (bolt) that unlock it
    stand_x: float  # where the body stands to work it (shut frame x; z: STAND_OFF in front of the grab point)

    @classmethod
    def of(cls, lock: Item, door: DoorGeometry) -> LockGeometry:
        side = door.side
        if lock.kind == "button_lock":
            grab = np.array([side * (door.width / 2.0 + BUTTON_BESIDE), door.panel_center[1], BUTTON_DEPTH + 0.02])
            stand_x = grab[0] - side * LOCK_STAND_INSIDE
            center = grab - np.array([0.0, 0.0, BUTTON_DEPTH / 2.0 + 0.02])
            return cls(lock.id, lock.kind, LockMotion.PRESS, grab, center, 0.0, 0.0, stand_x)
        if lock.kind == "rotating_bar_lock":
            pivot = np.array(
                [
                    side * (door.width / 2.0 + BAR_PIVOT_BESIDE),
                    door.panel_center[1] + door.panel_size[1] / 4.0,
                    door.front_z + BAR_FACE_GAP + BAR_DEPTH / 2.0,
                ]
            )
            along = BAR_GRAB_FRACTION * BAR_LENGTH_FRACTION * door.width
            grab = pivot + np.array([-side * along, 0.0, BAR_DEPTH / 2.0])
            unlock = BAR_PULL_ONLY_UNLOCK_TURN if door.pull_only else BAR_UNLOCK_TURN
            stand_x = pivot[0] - side * BAR_STAND_INSIDE  # near the pivot: the hand turns the bar up round it
            return cls(lock.id, lock.kind, LockMotion.TURN, grab, pivot, 0.0, unlock, stand_x)
        if lock.kind == "sliding_bar_lock":
            top = bool(lock["top"])
            size = np.array([BOLT_WIDTH_FRACTION * door.width, BOLT_LENGTH_FRACTION * door.panel_size[1], BOLT_DEPTH])
            reach = BOLT_SLIDING_DOOR_TOP_REACH if top and not door.hinged else BOLT_REACH
            offset = reach * (door.panel_size[1] / 2.0 - size[1] / 2.0)
            edge = door.panel_center[0] + side * door.panel_size[0] / 2.0
            center = np.array(
                [
                    edge - side * (size[0] / 2.0 + BOLT_EDGE_GAP),
                    door.panel_center[1] + (offset if top else -offset),
                    door.front_z + BOLT_DEPTH / 2.0,
                ]
            )
            grab = center + np.array([0.0, 0.0, BOLT_DEPTH / 2.0 + BOLT_KNOB / 2.0])  # the knob's centre
            unlock = BOLT_UNLOCK_FRACTION * BOLT_TRAVEL_FRACTION * size[1]
            stand_x = grab[0] - side * LOCK_STAND_INSIDE
            return cls(lock.id, lock.kind, LockMotion.SLIDE, grab, center, -1.0 if top else 1.0, unlock, stand_x)
        raise ValueError(f"item {lock.id} is a {lock.kind}, not a lock ({', '.join(LOCK_KINDS)})")

    @property
    def goal(self) -> float:
        """How far the skill works it: degrees turned (a bar) or metres slid (a bolt)."""
        if self.motion is LockMotion.TURN:
            return min(BAR_MAX_TURN, max(BAR_TURN_GOAL, self.unlock + BAR_TURN_MARGIN))
        if self.motion is LockMotion.SLIDE:
            return BOLT_SLIDE * self.unlock / BOLT_UNLOCK_FRACTION
        return 0.0

    @property
    def order(self) -> int:
        """Locks are worked button first, then the rotating bar, the top bar, the bottom bar (crouched last)."""
        if self.motion is LockMotion.PRESS:
            return 0
        if self.motion is LockMotion.TURN:
            return 1
        return 2 if self.direction < 0 else 3

    def bar_angle(self, local: np.ndarray, side: float) -> float:
        """Degrees of a shut-frame point about a rotating bar's pivot in the door's plane: 0 along the locked bar,
        90 straight up (rotating_bar_lock.gd `_angle`)."""
        return math.degrees(math.atan2(local[1] - self.origin[1], -side * (local[0] - self.origin[0])))


class Stage(Enum):
    APPROACH = "approach"  # walk (planned) to the doorway's front when far from it
    LOCKS = "locks"  # work the locks, one after the other
    DOOR = "door"  # grab the handle (unlatching it) and open the door
    THROUGH = "through"  # walk through the doorway and on to the goal
    DONE = "done"
    FAILED = "failed"


class Grip(Enum):
    """What the hand is doing with the lock or door being worked."""

    REACH = "reach"  # walk to the stand point, crouch, bring the hand to the grab point, grasp
    WORK = "work"  # holding: move it along its constraint
    LET_GO = "let go"  # hand open and still for a few steps


@dataclass
class DoorSkill:
    """Open door `door` (an item of the world) after working its `locks` (items whose `door` is its id), walk through
    its doorway from the approach side and on to `goal` (a world point on the far side; None: just through, BEYOND m
    past the wall face). `act` writes each step's action while `not done`; see the module's docstring."""

    motor: Motor
    door: Item
    locks: tuple[Item, ...] = ()
    goal: Vec3 | None = None
    reach: float = 0.4  # m (horizontal) from the goal where the walk ends
    beyond: float = BEYOND
    max_steps: int = MAX_STEPS
    stage: Stage = Stage.APPROACH
    failure: str | None = None
    steps: int = 0
    geometry: DoorGeometry = field(init=False)
    _locks: list[LockGeometry] = field(init=False)
    _straight: Motor = field(init=False)
    _grip: Grip = Grip.REACH
    _grip_steps: int = 0
    _attempts: dict[int, int] = field(default_factory=dict)  # per lock or door id: failed reaches
    _mishaps: int = 0  # held the wrong thing, lost the hold, a door that would not open
    _current: int | None = None  # the lock being worked
    # At the grab: the hand's angle about the hinge (or x along the wall) less the door's opening then; for a bolt,
    # the hand's height. (A rotating bar's angle is the hand's angle about its pivot: it was grabbed on the bar.)
    _grab_ref: float = 0.0
    _grab_hand: np.ndarray = field(default_factory=lambda: np.zeros(3))
    _waypoint: int = 0
    _best: float = math.inf
    _no_progress: int = 0

    def __post_init__(self) -> None:
        self.geometry = DoorGeometry.of(self.door)
        mine = [lock for lock in self.locks if int(lock["door"]) == self.door.id]
        self._locks = sorted((LockGeometry.of(lock, self.geometry) for lock in mine), key=lambda g: g.order)
        self._straight = Motor(None, self.motor.stuck_patience)

    @classmethod
    def for_door(
        cls, motor: Motor, world: WorldSpec, door_id: int, goal: Vec3 | None = None, **options: Any
    ) -> DoorSkill:
        """The skill for the door `door_id` of `world`, with every lock of it."""
        door = world.item(door_id)
        locks = tuple(item for item in world.items if item.kind in LOCK_KINDS and int(item["door"]) == door_id)
        return cls(motor, door, locks, goal, **options)

    @property
    def done(self) -> bool:
        return self.stage in (Stage.DONE, Stage.FAILED)

    @property
    def succeeded(self) -> bool:
        return self.stage is Stage.DONE

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        """Writes this step's action (nothing once done)."""
        if self.done:
            return
        self.steps += 1
        if self.steps > self.max_steps:
            self._fail(f"gave up after {self.max_steps} steps in stage {self.stage.value}")
            return
        door = entity(debug, self.door.id)
        if door is None:
            self._fail(f"door {self.door.id} is not in the world")
            return
        if self.stage is Stage.APPROACH:
            front = self.geometry.frame.world((0.0, 0.0, FRONT + 0.4))
            if horizontal(debug["body_position"], front) <= APPROACH_DISTANCE:
                self.stage = Stage.LOCKS
            else:
                self.motor.walk(action, debug, ("door", self.door.id), front, APPROACH_DISTANCE - 0.5)
                self.motor.look_level(action, debug)
                return
        if self.stage is Stage.LOCKS:
            lock = self._next_lock(debug)
            if lock is None:
                self.stage, self._grip, self._grip_steps, self._current = Stage.DOOR, Grip.REACH, 0, None
            else:
                if lock.id != self._current:
                    self._current, self._grip, self._grip_steps = lock.id, Grip.REACH, 0
                self._work_lock(action, debug, lock)
                return
        if self.stage is Stage.DOOR:
            self._open(action, debug, door)
            return
        if self.stage is Stage.THROUGH:
            self._through(action, debug)

    def _fail(self, reason: str) -> None:
        self.stage, self.failure = Stage.FAILED, reason

    # --- Locks. ---

    def _next_lock(self, debug: dict[str, Any]) -> LockGeometry | None:
        """The lock being worked until the hand has let go of it; then the first one still locked."""
        if self._grip is not Grip.REACH:
            current = next((lock for lock in self._locks if lock.id == self._current), None)
            if current is not None:
                return current
        for lock in self._locks:
            record = entity(debug, lock.id)
            if record is not None and record["flags"] & EntityFlag.LOCKED:
                return lock
        return None

    def _work_lock(self, action: np.ndarray, debug: dict[str, Any], lock: LockGeometry) -> None:
        frame, side = self.geometry.frame, self.geometry.side
        hand = frame.local(debug["right_hand_position"])
        held = int(debug.get("right_held_id") or 0)
        self._grip_steps += 1
        if self._grip is Grip.REACH:
            if held == lock.id:
                self._grip, self._grip_steps, self._grab_hand = Grip.WORK, 0, hand
                self._grab_ref = float(hand[1])  # a bolt slides as far as the hand moves along it from here
            elif held:
                self._let_go(f"lock {lock.id}: the hand took hold of item {held} instead")
            else:
                stand = np.array([lock.stand_x, 0.0, max(float(lock.grab[2]) + STAND_OFF, STAND_Z_MIN)])
                self._reach(action, debug, lock.grab, stand, f"lock {lock.id} ({lock.kind})", lock.id)
                return
        if self._grip is Grip.WORK:
            if held != lock.id:
                self._let_go(f"lock {lock.id}: the hand lost it")
            elif lock.motion is LockMotion.PRESS:
                self._let_go(None)
            elif lock.motion is LockMotion.TURN:
                angle = lock.bar_angle(hand, side)
                if angle >= lock.goal - 5.0 or self._grip_steps > WORK_PATIENCE:
                    self._let_go(None)
                else:
                    goal_angle = math.radians(min(lock.goal, max(angle, 0.0) + BAR_TURN_STEP))
                    offset = np.array([-side * math.cos(goal_angle), math.sin(goal_angle), 0.0]) * BAR_HAND_RADIUS
                    goal = lock.origin + offset
                    goal[2] = self._grab_hand[2]
                    self._servo(action, debug, hand=frame.world(goal), grasp=True)
                    return
            else:
                slid = lock.direction * (float(hand[1]) - self._grab_ref)
                if slid >= lock.goal - 0.01 or self._grip_steps > WORK_PATIENCE:
                    self._let_go(None)
                else:
                    goal = self._grab_hand + np.array([0.0, lock.direction * lock.goal, 0.0])
                    head_y = frame.world((0.0, self._head_goal(goal), 0.0))[1]
                    self._servo(action, debug, hand=frame.world(goal), grasp=True, head_y=head_y)
                    return
        # Grip.LET_GO
        self._servo(action, debug, grasp=False)
        if self._grip_steps >= LET_GO_STEPS:
            self._grip, self._grip_steps = Grip.REACH, 0

    # --- The door. ---

    def _open(self, action: np.ndarray, debug: dict[str, Any], record: dict[str, Any]) -> None:
        geometry, frame = self.geometry, self.geometry.frame
        opening = geometry.opening(record)
        hand = frame.local(debug["right_hand_position"])
        held = int(debug.get("right_held_id") or 0)
        self._grip_steps += 1
        if self._grip is Grip.REACH:
            if abs(opening) >= self._open_goal() - 1e-3 and not held:
                self._start_through()
                self._through(action, debug)
                return
            if held == self.door.id:
                self._grip, self._grip_steps, self._grab_hand = Grip.WORK, 0, hand
                self._grab_ref = (
                    geometry.hinge_angle(hand) - opening
                    if geometry.hinged
                    else float(hand[0]) - geometry.slide * opening
                )
            elif held:
                self._let_go(f"door {self.door.id}: the hand took hold of item {held} instead")
            elif record["flags"] & EntityFlag.LOCKED:
                self.stage, self._grip, self._grip_steps = Stage.LOCKS, Grip.REACH, 0  # a lock closed again
                return
            else:
                stand = self._door_stand(opening)
                self._reach(action, debug, geometry.handle_at(opening), stand, f"door {self.door.id}", self.door.id)
                return
        if self._grip is Grip.WORK:
            if held != self.door.id:
                self._let_go(f"door {self.door.id}: the hand lost it")
            elif abs(opening) >= self._open_goal():
                self._let_go(None)
            elif self._grip_steps > WORK_PATIENCE:
                self._let_go(f"door {self.door.id}: opened only {opening:.2f} in {WORK_PATIENCE} steps")
            else:
                self._swing(action, debug, opening, hand)
                return
        self._servo(action, debug, grasp=False)
        if self._grip_steps >= LET_GO_STEPS:
            self._grip, self._grip_steps = Grip.REACH, 0

    def _open_goal(self) -> float:
        return HINGE_OPEN_GOAL if self.geometry.hinged else SLIDING_OPEN_GOAL * self.geometry.width

    def _pulls(self) -> bool:
        """Whether the hinge door is pulled (toward the approach side): only when it cannot be pushed."""
        return self.geometry.hinged and self.geometry.mechanics == DoorMechanics.PULL

    def _door_stand(self, opening: float) -> np.ndarray:
        """Where the body stands to grab the handle and work the door (shut frame)."""
        g = self.geometry
        if not g.hinged:
            x = float(np.clip(g.handle[0] + g.slide * (opening - SLIDING_BODY_BEHIND), -0.35 * g.width, 0.35 * g.width))
            return np.array([x, 0.0, g.handle[2] + STAND_OFF])
        if self._pulls():
            angle = min(g.hinge_angle(g.handle) + max(opening, 0.0) + PULL_BODY_LEAD, PULL_BODY_MAX_ANGLE)
            return g.about_hinge(angle, PULL_BODY_RADIUS, 0.0)
        return np.array([g.axis_x + g.side * PUSH_STAND[0], 0.0, PUSH_STAND[1]])

    def _swing(self, action: np.ndarray, debug: dict[str, Any], opening: float, hand: np.ndarray) -> None:
        """Holding the door: move the hand (and body) so the door opens further."""
        g = self.geometry
        body = g.frame.local(debug["body_position"])
        stand = self._door_stand(opening)
        if not g.hinged:
            target = min(opening + SLIDING_LEAD, g.width + 0.05)
            goal = np.array([self._grab_ref + g.slide * target, self._grab_hand[1], self._grab_hand[2]])
        elif self._pulls():
            # The hand leads the body round the hinge; the body stays outside the panel's sweep.
            angle = min(g.hinge_angle(body) + PULL_HAND_LEAD, self._grab_ref + HINGE_MAX_ANGLE + 2.0)
            goal = g.about_hinge(angle, PULL_HAND_RADIUS, float(self._grab_hand[1]))
        else:
            # Pushed away with the hand inside the doorway near the hinge (only its angle about the hinge counts).
            angle = self._grab_ref - min(abs(opening) + HINGE_LEAD, HINGE_MAX_ANGLE + 2.0)
            head_y = float(g.frame.local(debug["head_position"])[1])
            goal = g.about_hinge(angle, PUSH_HAND_RADIUS, head_y - 0.3)
        self._servo(action, debug, stand=g.frame.world(stand), hand=g.frame.world(goal), grasp=True)

    # --- Walking through. ---

    def _start_through(self) -> None:
        self.stage, self._waypoint, self._best, self._no_progress = Stage.THROUGH, 0, math.inf, 0

    def _through_points(self) -> list[tuple[np.ndarray, float]]:
        g = self.geometry
        lane = g.side * LANE if g.hinged else 0.0
        points = [
            (g.frame.world((lane, 0.0, FRONT)), 0.25),
            (g.frame.world((lane, 0.0, -self.beyond)), 0.3),
        ]
        if self.goal is not None:
            points.append((np.asarray(self.goal, dtype=np.float64), self.reach))
        return points

    def _through(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        points = self._through_points()
        body = np.asarray(debug["body_position"], dtype=np.float64)
        local = self.geometry.frame.local(body)
        if (
            self._waypoint == 0
            and local[2] < FRONT - 0.1
            and abs(local[0] - self.geometry.frame.local(points[0][0])[0]) < 0.3
        ):
            self._waypoint = 1  # already in the lane near the doorway
        while self._waypoint < len(points) and horizontal(body, points[self._waypoint][0]) <= points[self._waypoint][1]:
            self._waypoint, self._best, self._no_progress = self._waypoint + 1, math.inf, 0
        if self._waypoint >= len(points):
            self.stage = Stage.DONE
            return
        point, reach = points[self._waypoint]
        distance = horizontal(body, point)
        if distance < self._best - 0.02:
            self._best, self._no_progress = distance, 0
        else:
            self._no_progress += 1
            if self._no_progress > THROUGH_PATIENCE:
                self._fail(f"stuck {distance:.2f} m from point {self._waypoint} of the walk through the doorway")
                return
        self._straight.walk(action, debug, None, point, reach * 0.5)
        self._straight.look_level(action, debug)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        feet = float(body[1]) - AGENT_HEIGHT / 2.0
        action[HEAD_Y] = np.clip((feet + HEAD_HEIGHT_MAX - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)

    # --- Hands and body. ---

    def _reach(
        self, action: np.ndarray, debug: dict[str, Any], grab: np.ndarray, stand: np.ndarray, what: str, id: int
    ) -> None:
        """Walk to the shut-frame point `stand`, crouch to the shut-frame `grab` point, bring the hand there and
        grasp; after REACH_PATIENCE steps back off and try again, at most ATTEMPTS times."""
        frame = self.geometry.frame
        if self._grip_steps > REACH_PATIENCE:
            self._attempts[id] = self._attempts.get(id, 0) + 1
            if self._attempts[id] >= ATTEMPTS:
                self._fail(f"{what}: could not take hold of it in {ATTEMPTS} attempts")
                return
            self._grip, self._grip_steps = Grip.LET_GO, 0
            return
        body = frame.local(debug["body_position"])
        aim = frame.world(grab)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        at_stand = math.hypot(body[0] - stand[0], body[2] - stand[2]) < STAND_TOLERANCE
        close = float(np.linalg.norm(hand - aim)) < GRASP_DISTANCE
        head_y = self._head_goal(grab)
        head_ready = abs(float(frame.local(debug["head_position"])[1]) - head_y) < 0.1
        self._servo(
            action,
            debug,
            stand=frame.world(stand),
            hand=aim,
            head_y=float(frame.world((0.0, head_y, 0.0))[1]),
            grasp=close and at_stand and head_ready,
        )

    def _head_goal(self, grab: np.ndarray) -> float:
        """The head's height in the shut frame (whose y = 0 is the doorway's floor, where the feet are) for reaching
        the shut-frame point `grab`: standing, or crouched above a low point."""
        if grab[1] < LOW_GRAB:
            return max(HEAD_HEIGHT_MIN, float(grab[1]) + HEAD_ABOVE_LOW_GRAB)
        return HEAD_HEIGHT_MAX

    def _let_go(self, problem: str | None) -> None:
        """Open the hand (for LET_GO_STEPS steps); a `problem` counts as a failed attempt."""
        if problem is not None:
            self._mishaps += 1
            if self._mishaps >= 2 * ATTEMPTS:
                self._fail(problem)
        self._grip, self._grip_steps = Grip.LET_GO, 0

    def _servo(
        self,
        action: np.ndarray,
        debug: dict[str, Any],
        *,
        stand: np.ndarray | None = None,
        hand: np.ndarray | None = None,
        head_y: float | None = None,
        grasp: bool,
    ) -> None:
        """One step facing the wall (looking along the door's -z, level): the body toward the world point `stand`
        (sideways, without turning), the head to the world height `head_y`, the right hand to the world point `hand`
        (where it will be after this step's head move), grasping or not."""
        frame = self.geometry.frame
        yaw, pitch = float(debug["head_yaw"]), float(debug["head_pitch"])
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        feet = float(body[1]) - AGENT_HEIGHT / 2.0
        action[HEAD_YAW] = np.clip(angle_difference(frame.yaw, yaw) / MAX_HEAD_YAW_SPEED, -1.0, 1.0)
        action[HEAD_PITCH] = np.clip(-pitch / MAX_HEAD_PITCH_SPEED, -1.0, 1.0)
        new_yaw = yaw + float(action[HEAD_YAW]) * MAX_HEAD_YAW_SPEED
        new_pitch = float(
            np.clip(pitch + float(action[HEAD_PITCH]) * MAX_HEAD_PITCH_SPEED, -MAX_HEAD_PITCH, MAX_HEAD_PITCH)
        )
        height = float(head[1]) - feet
        if head_y is not None:
            action[HEAD_Y] = np.clip((head_y - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
        new_height = float(
            np.clip(height + float(action[HEAD_Y]) * MAX_HEAD_LINEAR_SPEED, HEAD_HEIGHT_MIN, HEAD_HEIGHT_MAX)
        )
        factor = _crouch_factor(new_height)
        moved = np.zeros(3)
        if stand is not None:
            delta = np.asarray(stand, dtype=np.float64) - body
            delta[1] = 0.0
            distance = float(np.linalg.norm(delta))
            if distance > 0.02:
                local = head_basis(new_yaw, 0.0).T @ delta / (MAX_HEAD_LINEAR_SPEED * factor)
                local /= max(1.0, float(np.linalg.norm(local)))
                action[HEAD_X], action[HEAD_Z] = local[0], local[2]
                moved = head_basis(new_yaw, 0.0) @ np.array([local[0], 0.0, local[2]]) * MAX_HEAD_LINEAR_SPEED * factor
        if hand is not None:
            new_head = head + moved + np.array([0.0, new_height - height, 0.0])
            old_offset = head_basis(yaw, pitch).T @ (np.asarray(debug["right_hand_position"], dtype=np.float64) - head)
            new_offset = head_basis(new_yaw, new_pitch).T @ (np.asarray(hand, dtype=np.float64) - new_head)
            length = float(np.linalg.norm(new_offset))
            if length > ARM_LENGTH:
                new_offset *= ARM_LENGTH / length
            move = (new_offset - old_offset) / MAX_HAND_LINEAR_SPEED
            action[RIGHT_HAND] = move / max(1.0, float(np.linalg.norm(move)))
        action[RIGHT_GRASP] = 1.0 if grasp else 0.0
