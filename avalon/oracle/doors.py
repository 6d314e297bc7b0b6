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

The geometry (hinge axis, handles, lock grab points) is the engine's, mirrored in `avalon/oracle/door_geometry.py` from
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
from avalon.entities import LOCK_KINDS
from avalon.oracle.door_geometry import HINGE_MAX_ANGLE, DoorGeometry, LockGeometry, LockMotion
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

# godot_project/player/locomotion.gd: walking slows when crouched, by clamp((head height + 0.2) / 2, 0.2, 1)
CROUCH_SPEED_OFFSET = 0.2
CROUCH_SPEED_DIVISOR = 2.0
MIN_CROUCH_SPEED_FACTOR = 0.2

# --- How the skill works them. ---
BAR_HAND_RADIUS = 0.45  # m from the pivot where the hand turns the bar (it grabs near the bar's far end)
BAR_TURN_STEP = 30.0  # degrees per step the hand leads the bar
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
