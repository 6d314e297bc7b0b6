"""Where a door's parts are and how they move, mirrored from the engine (godot_project/entities/door/*.gd) in the
door's shut frame (local +z toward the approach side, x along the wall, y up): the door skill (avalon/oracle/doors.py)
aims its hands with it. Each number names the engine script it comes from."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import DoorMechanics
from avalon.entities import DOOR_KINDS, LOCK_KINDS
from avalon.oracle.skills import angle_difference, head_basis
from avalon.world.spec import Item

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
# --- Where the skill takes a lock and how far it moves it. ---
BAR_TURN_GOAL = 100.0  # degrees the oracle turns a rotating bar up (past either threshold; at most BAR_MAX_TURN)
BAR_TURN_MARGIN = 20.0  # degrees at least past the bar's threshold
BAR_GRAB_FRACTION = 0.8  # of the bar's length from the pivot: where the hand takes hold
BOLT_SLIDE = 0.75  # of its travel the oracle slides a bolt (0.16 of 0.21 m on a 1 x 3 m door; 0.0525 m unlocks)
LOCK_STAND_INSIDE = 0.2  # m from a button or bolt toward the doorway's centre where the body stands
BAR_STAND_INSIDE = 0.3  # m from a rotating bar's pivot toward the doorway's centre where the body stands


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
