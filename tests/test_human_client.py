"""The real client (`avalon-play`) on a real X display (Xvfb), driven by real key and mouse events (xdotool).

Plays here are scripted by the test, so every recording carries the `fixture` label and none is human data.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from avalon.constants import ACTION_NAMES, PROPRIO_NAMES, STATE_NAMES, DoorMechanics, EntityFlag, Latching
from avalon.human.recording import read_recording
from avalon.human.replay import replay
from avalon.human.scores import build_reference
from avalon.sim.engine import Xvfb
from avalon.world.builders import (
    STONE_BASE,
    STONE_TO_CARRY,
    cliff_in_front,
    door_in_front,
    flat_world,
    stones_in_front,
)
from avalon.world.codec import encode_world
from avalon.world.spec import Item, Spawn
from scoring.evalset import load_manifest

WINDOW = 720
FIXTURE = "test fixture: xdotool-driven client"
LEFT_GRASP = ACTION_NAMES.index("left_grasp")
HEAD_Z = ACTION_NAMES.index("head_z")
LEFT_HOLDING = PROPRIO_NAMES.index("left_hand_holding")
RIGHT_HOLDING = PROPRIO_NAMES.index("right_hand_holding")
BODY_Y = STATE_NAMES.index("body_y")
BODY_Z = STATE_NAMES.index("body_z")
LEFT_HELD_ID = STATE_NAMES.index("left_held_id")
IS_ON_FLOOR = STATE_NAMES.index("is_on_floor")
FALL_DAMAGE = STATE_NAMES.index("fall_damage")
HIT_POINTS = STATE_NAMES.index("hit_points")
IS_DEAD = STATE_NAMES.index("is_dead")
FALL_HEIGHT = 12.0  # m: lands at about 15 m/s
CLIFF_HEIGHT = 4.0

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    xvfb = Xvfb(screen="1024x768x24")
    try:
        yield xvfb.display
    finally:
        xvfb.stop()


class Client:
    """`avalon-play` in a subprocess on `display`, and xdotool to press its keys."""

    def __init__(self, display: str, tmp: Path, *args: str) -> None:
        self.env = dict(os.environ, DISPLAY=display)
        self.recordings = tmp / "recordings"
        self.screenshots = tmp / "screenshots"
        command = [sys.executable, "-m", "avalon.human.client", "--recordings", str(self.recordings)]
        command += ["--screenshots", str(self.screenshots), "--window", str(WINDOW), "--fixture", FIXTURE, *args]
        self.log = (tmp / "client.log").open("w")
        # Windows of earlier clients on the shared display may linger while X destroys them. Wait until they are
        # gone: X may give the new window the id of a lingering one, so "a window not seen before" is not enough.
        wait_until(lambda: not self._windows(), 60, "earlier clients' windows to close")
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.window = wait_until(self._find_window, 90, "the client window to open")
        time.sleep(1.0)
        self.x("mousemove", "--window", self.window, str(WINDOW // 2), str(WINDOW // 2))

    def _windows(self) -> list[str]:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^Avalon$"], env=self.env, capture_output=True, text=True
        )
        return found.stdout.split()

    def _find_window(self) -> str | None:
        if self.process.poll() is not None:
            raise AssertionError(f"the client exited early:\n{self.output()}")
        windows = self._windows()
        return windows[0] if len(windows) == 1 else None

    def x(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True)

    def key(self, name: str, pause: float = 0.5) -> None:
        self.x("key", name)
        time.sleep(pause)

    def hold(self, name: str, seconds: float) -> None:
        self.x("keydown", name)
        time.sleep(seconds)
        self.x("keyup", name)

    def screenshot(self) -> Path:
        before = set(self.screenshots.glob("*.png")) if self.screenshots.exists() else set()
        self.x("key", "F12")
        return wait_until(lambda: next(iter(set(self.screenshots.glob("*.png")) - before), None), 20, "a screenshot")

    def runs(self) -> list[Path]:
        return sorted(p.parent for p in self.recordings.glob("*/*/*/metadata.json"))

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def wait(self, timeout: float = 60) -> int:
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.log.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def wait_until(probe: Callable[[], object], timeout: float, what: str) -> object:  # type: ignore[misc]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_play_walk_grab_eat_record_replay(display: str, tmp_path: Path) -> None:
    client = Client(display, tmp_path, "--task", "eat", "--difficulty", "0", "--seed", "0", "--player", "xdotool")
    try:
        client.key("Return")  # start
        wait_until(client.runs, 20, "the recording to start")
        client.x("mousedown", "1")  # grab with the left hand: it reaches where the crosshair points
        time.sleep(0.3)
        client.hold("w", 0.25)
        time.sleep(1.0)
        playing = client.screenshot()
        client.key("f", 1.5)  # eat what the hand holds
        client.x("mouseup", "1")
        time.sleep(2.5)
        if read_recording(client.runs()[0]).status == "in_progress":  # not eaten: give up instead
            client.key("Escape")
            client.key("BackSpace")
        wait_until(lambda: read_recording(client.runs()[0]).complete, 20, "the play to end")
        client.key("Escape", 0.8)
        paused = client.screenshot()
        client.key("Escape")
        client.key("Return")  # close
        assert client.wait() == 0, client.output()
    finally:
        client.kill()

    (run,) = client.runs()
    recording = read_recording(run)
    meta = recording.metadata
    assert (meta["player"], meta["world_id"], meta["fixture"]) == ("xdotool", "eat__0__0", FIXTURE)
    assert meta["status"] == "complete" and meta["outcome"] in ("success", "quit")
    arrays = recording.load_arrays()
    assert (arrays["actions"][:, HEAD_Z] < -0.5).any(), "W walked forward"
    assert (arrays["actions"][:, LEFT_GRASP] == 1.0).any(), "the left button grasped"
    assert (arrays["proprio"][:, LEFT_HOLDING] == 1.0).any(), "the left hand held the apple"
    assert meta["outcome"] == "success", f"grabbed but did not eat: {meta}"

    image = np.asarray(Image.open(playing).convert("RGB")).astype(int)
    assert image.shape == (WINDOW, WINDOW, 3)
    bar = image[34:40, 12:60]  # the health bar under "Health 1.00", top left
    assert ((bar[..., 0] > 180) & (bar[..., 1] < 90)).mean() > 0.9, "the HUD's health bar is drawn"
    text = image[5:30, 5:150]
    assert (text.min(axis=2) > 220).any(), "the HUD's white text is drawn"
    overlay = np.asarray(Image.open(paused).convert("RGB")).astype(int)
    assert overlay.mean() < image.mean() * 0.6, "the pause overlay darkens the view"
    assert (overlay[250:470, 200:520].min(axis=2) > 200).any(), "the controls are listed"

    result = replay(run)
    assert (result.outcome, result.score, result.ticks) == (meta["outcome"], meta["score"], meta["ticks"])


def test_play_climbs_a_cliff(display: str, tmp_path: Path) -> None:
    """Hand over hand up a 4 m climbable cliff 1 m in front of the spawn: a mouse button grips where the crosshair
    points, W pulls up, the other button grips higher before the first lets go; at the top the body steps onto the
    plateau."""
    world = tmp_path / "cliff.world"
    world.write_bytes(encode_world(cliff_in_front(CLIFF_HEIGHT, distance=1)))
    client = Client(display, tmp_path, "--world-file", str(world), "--player", "xdotool")
    try:
        client.key("Return")  # start
        wait_until(client.runs, 20, "the recording to start")
        client.hold("w", 0.5)  # up to the foot of the face
        for _ in range(2):  # look a little down, at the face
            client.x("mousemove_relative", "--", "0", "35")
            time.sleep(0.3)
        buttons = ("1", "3")  # left, right
        for grip in range(7):  # three or four climb the face; the rest, on the plateau, grip nothing
            client.x("mousedown", buttons[grip % 2])  # grip with this hand where the crosshair points...
            time.sleep(0.5)
            if grip:
                client.x("mouseup", buttons[(grip - 1) % 2])  # ...then let go with the other
            client.hold("w", 1.0)  # pull up
        client.x("mouseup", buttons[0])
        client.x("mouseup", buttons[1])
        client.key("Escape")
        client.key("BackSpace")  # give up: the recording ends
        wait_until(lambda: read_recording(client.runs()[0]).complete, 20, "the play to end")
        client.key("Return")  # close
        assert client.wait() == 0, client.output()
    finally:
        client.kill()

    (run,) = client.runs()
    arrays = read_recording(run).load_arrays()
    body_y = arrays["states"][:, BODY_Y]
    climbing = (arrays["proprio"][:, LEFT_HOLDING] == 1.0) | (arrays["proprio"][:, RIGHT_HOLDING] == 1.0)
    assert climbing.sum() >= 10, "the hands held on to the face"
    assert body_y.max() - body_y[0] >= 0.75 * CLIFF_HEIGHT, f"climbed only {body_y.max() - body_y[0]:.2f} m"
    assert body_y[-1] - body_y[0] == pytest.approx(CLIFF_HEIGHT, abs=0.1), "ended standing on the plateau"
    assert arrays["states"][-1, IS_ON_FLOOR] == 1.0
    assert arrays["actions"][:, LEFT_GRASP].any() and arrays["actions"][:, LEFT_GRASP + 1].any(), "both hands gripped"


def test_play_stacks_a_stone(display: str, tmp_path: Path) -> None:
    """A stone carried onto another in the real client: walk up to it, look down at it and hold the left button (the
    hand takes it), look up (it rises and stays level), walk until the other stone stops the body, let go: it lands
    flat on top and stays."""
    world = tmp_path / "stones.world"
    world.write_bytes(encode_world(stones_in_front()))
    client = Client(display, tmp_path, "--world-file", str(world), "--player", "xdotool")
    try:
        client.key("Return")  # start
        wait_until(client.runs, 20, "the recording to start")
        client.hold("w", 1.0)  # up to the first stone, which stops the body
        for _ in range(13):  # look down at its top, about 65 degrees (5 degrees a tick at most)
            client.x("mousemove_relative", "--", "0", "33")
            time.sleep(0.3)
        client.x("mousedown", "1")  # the left hand reaches where the crosshair points and takes the stone
        time.sleep(1.0)
        for _ in range(40):  # look up as far as the head goes: the stone rises in front, level
            client.x("mousemove_relative", "--", "0", "-33")
            time.sleep(0.15)
        client.hold("w", 2.5)  # on to the second stone, which stops the body with the carried one above it
        client.x("mouseup", "1")  # let go: it drops onto the second stone
        time.sleep(3.0)
        client.key("Escape")
        client.key("BackSpace")  # the recording ends
        wait_until(lambda: read_recording(client.runs()[0]).complete, 20, "the play to end")
        client.key("Return")  # close
        assert client.wait() == 0, client.output()
    finally:
        client.kill()

    (run,) = client.runs()
    arrays = read_recording(run).load_arrays()
    assert (arrays["states"][:, LEFT_HELD_ID] == STONE_TO_CARRY).sum() >= 10, "the left hand carried the stone"
    ids = [int(i) for i in arrays["entity_ids"]]
    carried = arrays["entities"][:, ids.index(STONE_TO_CARRY), 1:]
    base = arrays["entities"][:, ids.index(STONE_BASE), 1:]
    released = int(np.flatnonzero(arrays["states"][:, LEFT_HELD_ID] == STONE_TO_CARRY)[-1]) + 1
    on_top = (np.abs(carried[:, 1] - base[:, 1] - 1.0) < 0.05) & (
        np.linalg.norm(carried[:, [0, 2]] - base[:, [0, 2]], axis=1) < 0.5
    )
    assert on_top[-1], f"the stone ended at {carried[-1].round(2)}, the base at {base[-1].round(2)}"
    assert on_top[released:].sum() >= 5, "it lay on the other stone for a while before the play ended"
    result = replay(run)
    assert result.ticks == read_recording(run).metadata["ticks"]


def test_play_opens_a_barred_door(display: str, tmp_path: Path) -> None:
    """A door barred by a rotating bar, worked in the real client: look up at the bar and hold the right button (the
    hand takes it), look further up (the hand rises and turns the bar up: unlocked), let go; look level again, click
    the door (which unlatches it), then walk into it: it swings open and the body walks through. The spawn is within
    reach, so no walk needs a timed key press: looks move 4.5-5 degrees a mouse move, one move per tick or so (a
    tick's turn is capped at 5 degrees)."""
    world = tmp_path / "door.world"
    door = door_in_front(
        mechanics=DoorMechanics.PUSH, latching=Latching.ONCE, locks=[("rotating_bar_lock", {})], distance=0.95
    )  # door id 10, its bar 11; the spawn within reach of the bar
    world.write_bytes(encode_world(dataclasses.replace(door, task="open")))
    client = Client(display, tmp_path, "--world-file", str(world), "--player", "xdotool")
    try:
        client.key("Return")  # start
        wait_until(client.runs, 20, "the recording to start")
        for _ in range(3):  # look up at the bar, 13.5 degrees
            client.x("mousemove_relative", "--", "0", "-30")
            time.sleep(0.3)
        client.x("mousedown", "3")  # the right hand takes the bar where the crosshair points
        time.sleep(0.5)
        for _ in range(12):  # look up on: the hand rises, the bar turns up about its pivot
            client.x("mousemove_relative", "--", "0", "-33")
            time.sleep(0.3)
        client.x("mouseup", "3")
        time.sleep(0.3)
        for _ in range(16):  # look down, level again: the hand's reach ends at the door's face
            client.x("mousemove_relative", "--", "0", "30")
            time.sleep(0.3)
        client.x("mousedown", "3")  # take the door: that unlatches it
        time.sleep(0.5)
        client.x("mouseup", "3")
        time.sleep(0.3)
        client.hold("w", 2.5)  # into the door, which swings away, and through
        client.key("Escape")
        client.key("BackSpace")  # the recording ends
        wait_until(lambda: read_recording(client.runs()[0]).complete, 20, "the play to end")
        client.key("Return")  # close
        assert client.wait() == 0, client.output()
    finally:
        client.kill()

    (run,) = client.runs()
    arrays = read_recording(run).load_arrays()
    ids = [int(i) for i in arrays["entity_ids"]]
    door_flags = arrays["entities"][:, ids.index(10), 0].astype(int)
    bar_flags = arrays["entities"][:, ids.index(11), 0].astype(int)
    assert bar_flags[0] & EntityFlag.LOCKED and not bar_flags[-1] & EntityFlag.LOCKED, "the bar was turned open"
    assert door_flags[0] & EntityFlag.LATCHED and door_flags[-1] & EntityFlag.OPEN, "the door was opened"
    assert arrays["states"][-1, BODY_Z] > 1.0, f"the body went through (z {arrays['states'][-1, BODY_Z]:.2f})"


def damage_text(screenshot: Path) -> Path | None:
    """The screenshot if the HUD's red damage text is drawn beside the health bar (the bar ends at x = 144 px)."""
    image = np.asarray(Image.open(screenshot).convert("RGB")).astype(int)
    beside = image[24:54, 150:240]
    red = (beside[..., 0] > 180) & (beside[..., 1] < 110) & (beside[..., 2] < 110)
    return screenshot if red.sum() >= 10 else None


def test_hud_shows_damage_taken(display: str, tmp_path: Path) -> None:
    """Spawned 12 m above flat ground, the player lands hard (about 0.2 hit points of fall damage): the HUD shows the
    hit points lost in red beside the health bar (and flashes the view red, not checked: it fades in half a second)."""
    world = tmp_path / "fall.world"
    apple = Item.food("apple", 1, (8.0, 0.5, 8.0))
    world.write_bytes(encode_world(flat_world(items=[apple], spawn=Spawn((0.0, FALL_HEIGHT, 0.0)), task="eat")))
    client = Client(display, tmp_path, "--world-file", str(world), "--player", "xdotool")
    try:
        client.key("Return")  # start: the fall begins
        wait_until(client.runs, 20, "the recording to start")
        wait_until(lambda: damage_text(client.screenshot()), 60, "the HUD to show the damage taken")
        client.key("Escape")
        client.key("BackSpace")  # the recording ends
        wait_until(lambda: read_recording(client.runs()[0]).complete, 20, "the play to end")
        client.key("Return")  # close
        assert client.wait() == 0, client.output()
    finally:
        client.kill()

    (run,) = client.runs()
    arrays = read_recording(run).load_arrays()
    assert arrays["states"][:, FALL_DAMAGE].max() > 0.1, "the landing did fall damage"
    assert arrays["states"][-1, HIT_POINTS] < 1.0 and arrays["states"][-1, IS_DEAD] == 0.0


@pytest.mark.parametrize(("how", "status"), [(signal.SIGKILL, "in_progress"), (signal.SIGINT, "unfinished")])
def test_killed_client_leaves_an_unfinished_play(display: str, tmp_path: Path, how: int, status: str) -> None:
    client = Client(display, tmp_path, "--task", "eat", "--difficulty", "0.5", "--seed", "4", "--player", "killed")
    try:
        godot = children(client.process.pid)
        assert godot, "the client runs Godot as its child"
        client.key("Return")
        wait_until(client.runs, 20, "the recording to start")
        client.hold("w", 0.5)
        os.kill(client.process.pid, how)
        code = client.process.wait(timeout=30)
        assert code == (130 if how == signal.SIGINT else -signal.SIGKILL), client.output()
        wait_until(lambda: not any(alive(pid) for pid in godot), 10, "Godot to die with the client")
    finally:
        client.kill()
    (run,) = client.runs()
    recording = read_recording(run)
    assert recording.status == status and not recording.complete
    assert [p.name for p in run.iterdir()] == ["metadata.json"]
    if how == signal.SIGINT:
        assert "interrupted" in client.output() and recording.metadata["unfinished_reason"].startswith(
            "KeyboardInterrupt"
        )
    reference, problems = build_reference(client.recordings, include_fixtures=True)
    assert reference["plays"] == {} and problems == []
    assert reference["provenance"]["counts"] == {"unfinished": 1}


def test_session_gives_practice_then_unplayed_evaluation_worlds(display: str, tmp_path: Path) -> None:
    played: list[str] = []
    for sitting in range(2):
        client = Client(display, tmp_path, "--session", "--player", "collector", "--practice", "1", "--max-worlds", "1")
        try:
            client.key("Return")  # welcome
            for _ in range(2 if sitting == 0 else 1):  # the practice world (first sitting only), then one evaluation
                count = len(client.runs())
                client.key("Return")  # start the world
                wait_until(lambda n=count, c=client: len(c.runs()) > n, 30, "a play to start")
                time.sleep(0.5)
                client.key("Escape")
                client.key("BackSpace")  # give up
                client.key("Return")  # the result banner
            client.key("Return")  # "that was the last world"
            assert client.wait() == 0, client.output()
        finally:
            client.kill()
        session = json.loads((tmp_path / "sessions" / "collector.json").read_text())
        assert session["practice_done"] == 1
        played = [play["world_id"] for play in session["plays"]]
        assert len(played) == 2 + sitting
    practice, first, second = played
    assert practice.startswith(("eat__1000000000__", "move__1000000000__"))
    available = {w["id"] for w in load_manifest()["worlds"] if w["available"]}
    assert first in available and second in available and first != second, "never a world the player played"
    runs = [path.parent for path in (tmp_path / "recordings").glob("*/collector/*/metadata.json")]
    assert len(runs) == 3 and {read_recording(run).metadata["outcome"] for run in runs} == {"quit"}
