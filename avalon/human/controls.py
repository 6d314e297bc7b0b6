"""Keyboard and mouse -> the agent's action (the original's keyboard-and-mouse action).

A person's keys and mouse become, each tick, an 11-value keyboard-and-mouse action (`KM_ACTION_NAMES`, the original's
`MouseKeyboardAction` layout), which `KeyboardMouseController` turns into the agent's own 21-value action. Hands are
driven to poses in the head frame (rest, reach where you look, carry, at the mouth, throw), so eating and throwing are
short sequences of ordinary hand moves. A carried thing keeps its tilt while the head looks up or down (the hand turns
against the head), so looking up lifts a stone level and it can be set down flat on another. Climbing too: a hand that
reaches a climbable surface holds on to it, and the walking keys then move the holding hands, which pulls the body the
other way (W: the hands go down, the body up). Plays are therefore recorded in the agent's action space, replay through
the same simulator path as agents, and serve imitation learning directly; agents can use the same mapping with
`action_mode="keyboard_mouse"`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from avalon.constants import (
    ACTION_NAMES,
    ACTION_SIZE,
    AGENT_HEIGHT,
    HAND_REST_OFFSET,
    HEAD_HEIGHT_MAX,
    HEAD_HEIGHT_MIN,
    MAX_HAND_ANGULAR_SPEED,
    MAX_HAND_LINEAR_SPEED,
    MAX_HEAD_PITCH,
    MAX_HEAD_PITCH_SPEED,
    MAX_HEAD_YAW_SPEED,
    PROPRIO_NAMES,
    STATE_NAMES,
    STATE_SIZE,
    HumanKey,
)
from avalon.sim.protocol import HumanInput

# What the pause overlay shows, in this order (the Godot side only displays it).
CONTROLS: tuple[tuple[str, str], ...] = (
    ("W A S D", "walk"),
    ("mouse", "look"),
    ("left / right button", "grab with that hand (hold it); let go to put down"),
    ("look up / down", "raise / lower what you carry (a stone onto a stone)"),
    ("walk into a boulder", "push it"),
    ("button on a door or lock, then", "walk / look: push, pull, slide it; bars: look up (top bar: down)"),
    ("button + W / S", "on a cliff, trunk or ladder: climb up / down (A / D: sideways)"),
    ("other button, then let go", "climb on: grip higher with the other hand, then release the low one"),
    ("Q / E", "throw from the left / right hand"),
    ("stick / rock", "a held stick or a thrown rock hurts an animal"),
    ("F", "eat what you hold (fruit, dead prey)"),
    ("Space", "jump"),
    ("C or Ctrl", "crouch (hold it)"),
    ("Esc", "pause, show the controls"),
)

KM_ACTION_NAMES: tuple[str, ...] = (
    "move_x", "move_z", "look_pitch", "look_yaw",  # reals in [-1, 1]: strafe right, walk back, look up, turn left
    "grasp_left", "grasp_right", "throw_left", "throw_right", "jump", "eat", "crouch",  # buttons: pressed when > 0
)  # fmt: skip
KM_ACTION_SIZE = len(KM_ACTION_NAMES)
KM_NUM_REAL_ACTIONS = 4  # the rest are buttons
KM = {name: i for i, name in enumerate(KM_ACTION_NAMES)}
A = {name: i for i, name in enumerate(ACTION_NAMES)}
P = {name: i for i, name in enumerate(PROPRIO_NAMES)}
S = {name: i for i, name in enumerate(STATE_NAMES)}

MOUSE_DEGREES_PER_PIXEL = 0.15  # look sensitivity; each tick's turn is capped by the agent's own head speed

# Hand targets in the head frame (metres; x right, y up, -z forward), for the right hand; the left hand mirrors x.
REST = np.array(HAND_REST_OFFSET)
REACH = np.array([0.12, -0.12, -0.94])  # where the crosshair points, at nearly arm's length
CARRY = np.array([0.35, -0.35, -0.6])
MOUTH = np.array([0.05, -0.15, -0.25])  # within EAT_RADIUS of the head centre
WIND_UP = np.array([0.35, 0.05, -0.1])
THROW_END = np.array([0.1, 0.1, -0.95])  # ~0.9 m in one tick: a throw at ~9 m/s
CLIMB_PULL = 0.3  # m per tick a holding hand moves when climbing (the walking speed; the agent's limit is 1 m)
CLIMB_TOWARDS = 0.4  # a W / S pull also draws the body this much (per metre) towards the holds, to follow the face
EAT_TICKS = 4  # ticks a hand keeps food at the mouth after F
HAND_DEADBAND = 1e-4  # m: closer than this to its target a hand is left alone (float32 noise is not a move)
SIDES = ("left", "right")
MIRROR = {"left": np.array([-1.0, 1.0, 1.0]), "right": np.array([1.0, 1.0, 1.0])}


def keyboard_mouse_action(human: HumanInput, degrees_per_pixel: float = MOUSE_DEGREES_PER_PIXEL) -> np.ndarray:
    """One tick of a person's input -> the 11-value keyboard-and-mouse action."""

    def held(key: HumanKey) -> float:
        return 1.0 if human.keys & (1 << int(key)) else 0.0

    action = np.zeros(KM_ACTION_SIZE, dtype=np.float32)
    move = np.array([held(HumanKey.RIGHT) - held(HumanKey.LEFT), held(HumanKey.BACK) - held(HumanKey.FORWARD)])
    norm = float(np.linalg.norm(move))
    action[KM["move_x"] : KM["move_z"] + 1] = move / norm if norm > 1.0 else move
    action[KM["look_pitch"]] = np.clip(-human.mouse_dy * degrees_per_pixel / MAX_HEAD_PITCH_SPEED, -1.0, 1.0)
    action[KM["look_yaw"]] = np.clip(-human.mouse_dx * degrees_per_pixel / MAX_HEAD_YAW_SPEED, -1.0, 1.0)
    buttons = {
        "grasp_left": HumanKey.GRAB_LEFT,
        "grasp_right": HumanKey.GRAB_RIGHT,
        "throw_left": HumanKey.THROW_LEFT,
        "throw_right": HumanKey.THROW_RIGHT,
        "jump": HumanKey.JUMP,
        "eat": HumanKey.EAT,
        "crouch": HumanKey.CROUCH,
    }
    for name, key in buttons.items():
        action[KM[name]] = held(key)
    return action


def head_basis(pitch_deg: float, yaw_deg: float, roll_deg: float) -> np.ndarray:
    """Godot's Basis(Vector3(pitch, yaw, roll)) in radians-from-degrees: Ry(yaw) Rx(pitch) Rz(roll)."""
    x, y, z = np.radians([pitch_deg, yaw_deg, roll_deg])
    rx = np.array([[1, 0, 0], [0, np.cos(x), -np.sin(x)], [0, np.sin(x), np.cos(x)]])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rz = np.array([[np.cos(z), -np.sin(z), 0], [np.sin(z), np.cos(z), 0], [0, 0, 1]])
    return ry @ rx @ rz


def hand_offsets(proprio: np.ndarray) -> dict[str, np.ndarray]:
    """Each hand's position in the head frame, from the body-relative positions and rotations of the proprio."""

    def vec(prefix: str) -> np.ndarray:
        return np.array([proprio[P[f"{prefix}_x"]], proprio[P[f"{prefix}_y"]], proprio[P[f"{prefix}_z"]]], float)

    rotation = head_basis(
        proprio[P["head_relative_rotation_pitch"]],
        proprio[P["head_relative_rotation_yaw"]],
        proprio[P["head_relative_rotation_roll"]],
    )
    head = vec("head_relative_position")
    return {side: rotation.T @ (vec(f"{side}_hand_relative_position") - head) for side in SIDES}


def climb_pull(km: np.ndarray, proprio: np.ndarray) -> np.ndarray:
    """The move (head frame, metres) of a hand holding on to a climbable for this tick's walking keys: W moves it down
    and a little back (the body goes up, and towards the face it climbs), S up and back, A / D right / left. Level in
    the body frame whatever the head's pitch, so looking around while climbing does not change where a key pulls."""
    move_x, move_z = float(km[KM["move_x"]]), float(km[KM["move_z"]])
    level = np.array([-move_x, move_z, CLIMB_TOWARDS * abs(move_z)]) * CLIMB_PULL
    rotation = head_basis(
        proprio[P["head_relative_rotation_pitch"]],
        proprio[P["head_relative_rotation_yaw"]],
        proprio[P["head_relative_rotation_roll"]],
    )
    return np.asarray(rotation.T @ level, dtype=float)


def climbing_hands(proprio: np.ndarray, state: np.ndarray | None) -> dict[str, bool]:
    """Which hands hold on to a climbable: holding (proprio) with no item in them (state's held id 0)."""
    if state is None:
        return dict.fromkeys(SIDES, False)
    state = np.asarray(state)
    if state.shape != (STATE_SIZE,):
        raise ValueError(f"state must have shape ({STATE_SIZE},), got {state.shape}")
    return {side: bool(proprio[P[f"{side}_hand_holding"]] > 0.5 and state[S[f"{side}_held_id"]] == 0) for side in SIDES}


@dataclass
class KeyboardMouseController:
    """Turns keyboard-and-mouse actions into agent actions, tick by tick (it keeps the throw and eat sequences).

    Grab: while the button is held the empty hand reaches where the crosshair points and grasps; a held thing is
    carried in front, rising and falling as the head looks up and down but keeping the tilt it had when taken (the
    hand turns against the head's pitch); releasing the button drops it. Throw: wind up, then a fast push forward
    with the grasp released (grabbing again needs a fresh press). Eat: hands that hold something go to the mouth for
    a few ticks. Climb: a hand that reached a climbable surface holds on while its button is held, and the walking
    keys move it (`climb_pull`); which hands climb comes from `state` (holding, with no item in that hand).
    """

    _throw_phase: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    _no_grasp_until_release: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(SIDES, False))
    _eat_ticks: int = 0
    # per hand holding an item: its pitch in the body frame (degrees) when it took it, which it keeps
    _carry_pitch: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(SIDES, None))

    def reset(self) -> None:
        self._throw_phase = dict.fromkeys(SIDES, 0)
        self._no_grasp_until_release = dict.fromkeys(SIDES, False)
        self._eat_ticks = 0
        self._carry_pitch = dict.fromkeys(SIDES, None)

    def action(self, km: np.ndarray, proprio: np.ndarray, state: np.ndarray | None = None) -> np.ndarray:
        """km: (11,) keyboard-and-mouse action; proprio: the last observation's (51,) proprio; state: its (STATE_SIZE,)
        privileged state, which tells a hand holding an item from one holding on to a climbable (`held_id` 0). The
        agent does not see it: only this mapping does, as the original's in-engine controls knew what a hand held.
        Without it every holding hand counts as holding an item (no climbing). -> (21,) action."""
        km = np.asarray(km, dtype=np.float32)
        if km.shape != (KM_ACTION_SIZE,):
            raise ValueError(f"keyboard-and-mouse action must have shape ({KM_ACTION_SIZE},), got {km.shape}")
        action = np.zeros(ACTION_SIZE, dtype=np.float32)
        action[A["head_x"]] = km[KM["move_x"]]
        action[A["head_z"]] = km[KM["move_z"]]
        action[A["head_pitch"]] = km[KM["look_pitch"]]
        action[A["head_yaw"]] = km[KM["look_yaw"]]
        action[A["jump"]] = float(km[KM["jump"]] > 0)
        head_height = float(proprio[P["head_relative_position_y"]]) + AGENT_HEIGHT / 2
        if km[KM["crouch"]] > 0:
            action[A["head_y"]] = -1.0 if head_height > HEAD_HEIGHT_MIN + 1e-3 else 0.0
        elif head_height < HEAD_HEIGHT_MAX - 1e-3:
            action[A["head_y"]] = 1.0
        if km[KM["eat"]] > 0:
            self._eat_ticks = EAT_TICKS
        offsets = hand_offsets(proprio)
        climbing = climbing_hands(proprio, state)
        pull = climb_pull(km, proprio)
        pitch_now = float(proprio[P["head_relative_rotation_pitch"]])
        pitch_next = float(
            np.clip(pitch_now + action[A["head_pitch"]] * MAX_HEAD_PITCH_SPEED, -MAX_HEAD_PITCH, MAX_HEAD_PITCH)
        )
        for side in SIDES:
            holding = proprio[P[f"{side}_hand_holding"]] > 0.5
            button = km[KM[f"grasp_{side}"]] > 0
            first = A[f"{side}_hand_x"]
            action[A[f"{side}_hand_pitch"]] = self._level(side, holding and not climbing[side], proprio, pitch_next)
            if climbing[side] and button and self._throw_phase[side] == 0:
                action[first : first + 3] = pull / MAX_HAND_LINEAR_SPEED
                action[A[f"{side}_grasp"]] = 1.0
                continue
            if not button:
                self._no_grasp_until_release[side] = False
            if km[KM[f"throw_{side}"]] > 0 and holding and self._throw_phase[side] == 0:
                self._throw_phase[side] = 1
            grasp = button and not self._no_grasp_until_release[side]
            phase = self._throw_phase[side]
            if phase == 1:
                target, grasp = WIND_UP, True
                self._throw_phase[side] = 2
            elif phase == 2:
                target, grasp = THROW_END, False
                self._throw_phase[side] = 0
                self._no_grasp_until_release[side] = button
            elif holding and self._eat_ticks > 0:
                target = MOUTH
            elif holding:
                target = CARRY
            elif grasp:
                target = REACH
            else:
                target = REST
            delta = target * MIRROR[side] - offsets[side]
            delta[np.abs(delta) < HAND_DEADBAND] = 0.0
            action[first : first + 3] = delta / MAX_HAND_LINEAR_SPEED
            action[A[f"{side}_grasp"]] = 1.0 if grasp else 0.0
        self._eat_ticks = max(0, self._eat_ticks - 1)
        return action

    def _level(self, side: str, carrying: bool, proprio: np.ndarray, pitch_next: float) -> float:
        """The hand's pitch action that keeps a carried item at the pitch (body frame) it had when taken, against the
        head's pitch this tick; with nothing carried, the hand turns back into line with the head. The hand's pitch in
        the body frame is the head's plus its own (both turn about the head's x axis)."""
        hand_pitch = float(proprio[P[f"{side}_hand_relative_rotation_pitch"]])
        own_now = hand_pitch - float(proprio[P["head_relative_rotation_pitch"]])
        if carrying:
            if self._carry_pitch[side] is None:
                self._carry_pitch[side] = hand_pitch
            own_target = float(self._carry_pitch[side]) - pitch_next  # type: ignore[arg-type]
        else:
            self._carry_pitch[side] = None
            own_target = 0.0
        turn = (own_target - own_now + 180.0) % 360.0 - 180.0
        if abs(turn) < HAND_DEADBAND:
            return 0.0
        return float(np.clip(turn / MAX_HAND_ANGULAR_SPEED, -1.0, 1.0))
