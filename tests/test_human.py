"""Human play without a window: the keyboard-and-mouse controller, the recording format, replay, human scores.

Every recording here is a fixture a scripted policy made through the real headless simulator (tests/human_fixtures.py)
and is labelled as such; none is human data. The client itself, driven by real key and mouse events, is in
tests/test_human_client.py.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from baseline_fixtures import random_baseline

import avalon  # noqa: F401  (registers the env ids)
from avalon.constants import HumanKey
from avalon.episode import InvalidActionError
from avalon.human import controls as ctl
from avalon.human.client import custom_world, evaluation_world
from avalon.human.recording import PLAY, RecordingError, read_recording, write_json
from avalon.human.replay import ReplayMismatch, replay
from avalon.human.scores import build_reference
from avalon.human.scores import main as human_main
from avalon.sim.protocol import HumanInput
from scoring.report import build_report
from tests.human_fixtures import FIXTURE_LABEL, grab_and_eat_policy, oracle_policy, record_play

EVAL_WORLD = "eat__25__0.48"  # a minival world the oracle solves


def bits(*keys: HumanKey) -> int:
    return sum(1 << int(key) for key in keys)


# --- controls (no simulator) -------------------------------------------------------------------------------------


def test_keys_and_mouse_become_a_keyboard_mouse_action() -> None:
    km = ctl.keyboard_mouse_action(HumanInput(0, bits(HumanKey.FORWARD, HumanKey.RIGHT, HumanKey.EAT), 400.0, -10.0))
    assert km[ctl.KM["move_x"]] == pytest.approx(np.sqrt(0.5)) and km[ctl.KM["move_z"]] == pytest.approx(-np.sqrt(0.5))
    assert km[ctl.KM["look_yaw"]] == -1.0  # 400 px * 0.15 deg/px = 60 deg: capped at the agent's 10 deg per tick
    assert km[ctl.KM["look_pitch"]] == pytest.approx(10 * 0.15 / 5.0)  # mouse up looks up
    assert km[ctl.KM["eat"]] == 1.0 and km[ctl.KM["jump"]] == 0.0
    assert not ctl.keyboard_mouse_action(HumanInput()).any()


def test_head_basis_follows_godot_conventions() -> None:
    forward = np.array([0.0, 0.0, -1.0])
    assert ctl.head_basis(90, 0, 0) @ forward == pytest.approx([0, 1, 0], abs=1e-12)  # positive pitch looks up
    assert ctl.head_basis(0, 90, 0) @ forward == pytest.approx([-1, 0, 0], abs=1e-12)  # positive yaw turns left


def proprio_with_hands(left: np.ndarray, right: np.ndarray, pitch: float = 0.0, holding: str = "") -> np.ndarray:
    proprio = np.zeros(len(ctl.P), np.float32)
    head = np.array([0.0, 1.0, 0.0])  # standing: the head 1 m above the body centre
    basis = ctl.head_basis(pitch, 0, 0)
    for side, offset in (("left", left), ("right", right)):
        position = head + basis @ offset
        for axis, value in zip("xyz", position, strict=True):
            proprio[ctl.P[f"{side}_hand_relative_position_{axis}"]] = value
        proprio[ctl.P[f"{side}_hand_holding"]] = float(side == holding)
        proprio[ctl.P[f"{side}_hand_relative_rotation_pitch"]] = pitch  # the hands turn with the head
    proprio[ctl.P["head_relative_position_y"]] = 1.0
    proprio[ctl.P["head_relative_rotation_pitch"]] = pitch
    return proprio


def test_a_carried_item_keeps_its_tilt_while_the_head_pitches() -> None:
    """Looking up while carrying turns the hand down by as much (a stone stays level); at the pitch limit, where the
    head stops, the hand stops too; once nothing is carried the hand turns back into line with the head."""
    controller = ctl.KeyboardMouseController()
    km = np.zeros(ctl.KM_ACTION_SIZE, np.float32)
    km[ctl.KM["grasp_right"]] = 1.0
    km[ctl.KM["look_pitch"]] = 1.0  # up, 5 degrees this tick
    carrying = proprio_with_hands(ctl.REST * ctl.MIRROR["left"], ctl.CARRY, pitch=-30.0, holding="right")
    action = controller.action(km, carrying)
    turn = ctl.MAX_HEAD_PITCH_SPEED / ctl.MAX_HAND_ANGULAR_SPEED
    assert action[ctl.A["right_hand_pitch"]] == pytest.approx(-turn)
    assert action[ctl.A["left_hand_pitch"]] == 0.0, "the empty hand turns with the head"
    carrying[ctl.P["head_relative_rotation_pitch"]] = -25.0  # the head turned; the hand kept -30 in the body frame
    action = controller.action(km, carrying)
    assert action[ctl.A["right_hand_pitch"]] == pytest.approx(-turn)
    at_limit = proprio_with_hands(ctl.REST, ctl.CARRY, pitch=ctl.MAX_HEAD_PITCH, holding="right")
    at_limit[ctl.P["right_hand_relative_rotation_pitch"]] = -30.0
    assert controller.action(km, at_limit)[ctl.A["right_hand_pitch"]] == 0.0
    empty = proprio_with_hands(ctl.REST, ctl.REST, pitch=0.0)
    empty[ctl.P["right_hand_relative_rotation_pitch"]] = -15.0  # still turned from the carry
    km[:] = 0.0
    assert controller.action(km, empty)[ctl.A["right_hand_pitch"]] == pytest.approx(1.0)


def test_controller_drives_hands_to_their_poses() -> None:
    rest_left, rest_right = ctl.REST * ctl.MIRROR["left"], ctl.REST
    proprio = proprio_with_hands(rest_left, rest_right, pitch=-30.0)
    assert ctl.hand_offsets(proprio)["right"] == pytest.approx(rest_right, abs=1e-6)
    controller = ctl.KeyboardMouseController()
    km = np.zeros(ctl.KM_ACTION_SIZE, np.float32)
    idle = controller.action(km, proprio)
    assert not idle[:18].any(), "at rest with nothing pressed, nothing moves"
    km[ctl.KM["grasp_right"]] = 1.0
    reach = controller.action(km, proprio)
    assert reach[ctl.A["right_grasp"]] == 1.0 and reach[ctl.A["left_grasp"]] == 0.0
    assert reach[ctl.A["right_hand_x"] : ctl.A["right_hand_x"] + 3] == pytest.approx(ctl.REACH - rest_right, abs=1e-6)
    holding = proprio_with_hands(rest_left, ctl.CARRY, holding="right")
    km[ctl.KM["eat"]] = 1.0
    to_mouth = controller.action(km, holding)
    assert to_mouth[ctl.A["right_hand_x"] : ctl.A["right_hand_x"] + 3] == pytest.approx(ctl.MOUTH - ctl.CARRY, abs=1e-6)
    km[ctl.KM["eat"]] = 0.0
    km[ctl.KM["throw_right"]] = 1.0
    wind_up = controller.action(km, holding)
    throw = controller.action(km, holding)
    assert wind_up[ctl.A["right_grasp"]] == 1.0 and throw[ctl.A["right_grasp"]] == 0.0, "the throw releases"
    after = controller.action(km, proprio_with_hands(rest_left, ctl.THROW_END))
    assert after[ctl.A["right_grasp"]] == 0.0, "no grasp again until the button is released and pressed"
    km[ctl.KM["grasp_right"]] = 0.0
    controller.action(km, proprio)
    km[ctl.KM["grasp_right"]] = 1.0
    assert controller.action(km, proprio)[ctl.A["right_grasp"]] == 1.0
    km[:] = 0.0
    km[ctl.KM["crouch"]] = 1.0
    assert controller.action(km, proprio)[ctl.A["head_y"]] == -1.0
    with pytest.raises(ValueError, match="shape"):
        controller.action(np.zeros(3), proprio)


def test_controller_climbs_with_the_walking_keys() -> None:
    """A hand holding on to a climbable (holding, no item: the state's held id 0) is moved by W / S / A / D, level in
    the body frame whatever the pitch; the same hand holding an item (or without the state) is carried as before."""
    pitch = -25.0
    proprio = proprio_with_hands(ctl.REST * ctl.MIRROR["left"], ctl.REACH, pitch=pitch, holding="right")
    no_items = np.zeros(len(ctl.S), np.float32)
    km = np.zeros(ctl.KM_ACTION_SIZE, np.float32)
    km[ctl.KM["grasp_right"]] = 1.0
    km[ctl.KM["move_z"]] = -1.0  # W
    right = slice(ctl.A["right_hand_x"], ctl.A["right_hand_x"] + 3)
    rotation = ctl.head_basis(pitch, 0.0, 0.0)

    climb = ctl.KeyboardMouseController().action(km, proprio, no_items)
    level = rotation @ climb[right] * ctl.MAX_HAND_LINEAR_SPEED
    assert level == pytest.approx([0.0, -ctl.CLIMB_PULL, ctl.CLIMB_TOWARDS * ctl.CLIMB_PULL], abs=1e-6), "W: hand down"
    assert climb[ctl.A["right_grasp"]] == 1.0, "holds on while the button is held"
    assert climb[ctl.A["left_grasp"]] == 0.0

    km[ctl.KM["move_z"]] = 1.0  # S
    km[ctl.KM["move_x"]] = 1.0  # and D
    down = ctl.KeyboardMouseController().action(km, proprio, no_items)
    assert rotation @ down[right] * ctl.MAX_HAND_LINEAR_SPEED == pytest.approx(
        [-ctl.CLIMB_PULL, ctl.CLIMB_PULL, ctl.CLIMB_TOWARDS * ctl.CLIMB_PULL], abs=1e-6
    ), "S: hand up (the body goes down), D: hand left (the body goes right)"

    km[:] = 0.0
    km[ctl.KM["grasp_right"]] = 1.0
    still = ctl.KeyboardMouseController().action(km, proprio, no_items)
    assert not still[right].any() and still[ctl.A["right_grasp"]] == 1.0, "no key: the hand holds still"

    km[ctl.KM["move_z"]] = -1.0
    with_item = no_items.copy()
    with_item[ctl.S["right_held_id"]] = 7.0
    for state in (with_item, None):
        carry = ctl.KeyboardMouseController().action(km, proprio, state)
        assert carry[right] == pytest.approx(ctl.CARRY - ctl.REACH, abs=1e-5), "an item is carried, not climbed"

    km[ctl.KM["grasp_right"]] = 0.0
    released = ctl.KeyboardMouseController().action(km, proprio, no_items)
    assert released[ctl.A["right_grasp"]] == 0.0, "releasing the button lets go"
    with pytest.raises(ValueError, match="state must have shape"):
        ctl.KeyboardMouseController().action(km, proprio, np.zeros(3))


# --- with the headless simulator ----------------------------------------------------------------------------------


def test_keyboard_mouse_action_mode_eats_the_apple() -> None:
    env = gym.make("avalon/Eat-v0", action_mode="keyboard_mouse", difficulty=0.0, headless=True, resolution=16)
    try:
        assert env.action_space.shape == (ctl.KM_ACTION_SIZE,)
        env.reset(seed=0)
        with pytest.raises(InvalidActionError, match="keyboard_mouse action"):
            env.step(np.zeros(21, np.float32))
        info: dict[str, object] = {}
        for tick in range(60):
            km = np.zeros(ctl.KM_ACTION_SIZE, np.float32)
            km[ctl.KM["grasp_right"]] = 1.0
            km[ctl.KM["move_z"]] = -1.0 if tick < 2 else 0.0
            km[ctl.KM["eat"]] = float(tick >= 8)
            _, _, terminated, truncated, info = env.step(km)
            if terminated or truncated:
                break
        assert info["success"] is True
    finally:
        env.close()


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fixture plays: two players solve an evaluation world, one gives up on it, one play is left unfinished, and a
    custom world is played (not evaluation data)."""
    root = tmp_path_factory.mktemp("human") / "recordings"
    world = evaluation_world(EVAL_WORLD)
    record_play(root, world, oracle_policy(), player="fixture-a")
    record_play(root, world, oracle_policy(), player="fixture-b")
    record_play(root, world, oracle_policy(), player="fixture-c", quit_after=5)
    record_play(root, world, oracle_policy(), player="fixture-d", quit_after=30, finish=False)
    record_play(root, custom_world("eat", 0, 0.0), grab_and_eat_policy(), player="fixture-a")
    return root


def run_dir(root: Path, world_id: str, player: str) -> Path:
    (directory,) = (root / world_id / player).iterdir()
    return directory


def test_recording_structure(recordings: Path) -> None:
    directory = run_dir(recordings, "eat__0__0", "fixture-a")
    recording = read_recording(directory)
    meta = recording.metadata
    assert sorted(p.name for p in directory.iterdir()) == ["metadata.json", "play.npz"], "no temporary files left"
    assert meta["status"] == "complete" and meta["outcome"] == "success" and meta["fixture"] == FIXTURE_LABEL
    assert meta["player"] == "fixture-a" and meta["world_id"] == "eat__0__0" and not meta["evaluation_world"]
    for key in ("started_at", "ended_at", "client_version", "godot_version", "generator_version", "world_sha256"):
        assert meta[key], key
    arrays = recording.load_arrays()
    ticks = meta["ticks"]
    assert arrays["actions"].shape == (ticks, 21) and arrays["km_actions"].shape == (ticks, ctl.KM_ACTION_SIZE)
    assert arrays["states"].shape[0] == arrays["proprio"].shape[0] == arrays["frames"].shape[0] == ticks + 1
    assert list(arrays["frames"]) == list(range(ticks + 1))
    assert arrays["entities"].shape == (ticks + 1, len(arrays["entity_ids"]), 4)


def test_unfinished_play_is_marked(recordings: Path) -> None:
    recording = read_recording(run_dir(recordings, EVAL_WORLD, "fixture-d"))
    assert recording.status == "in_progress" and not recording.complete
    assert not (recording.directory / PLAY).exists()
    with pytest.raises(RecordingError, match="in_progress, not complete"):
        recording.load_arrays()


def test_replay_matches(recordings: Path) -> None:
    result = replay(run_dir(recordings, EVAL_WORLD, "fixture-a"))
    meta = read_recording(run_dir(recordings, EVAL_WORLD, "fixture-a")).metadata
    assert (result.outcome, result.score, result.ticks) == (meta["outcome"], meta["score"], meta["ticks"])
    assert replay(run_dir(recordings, EVAL_WORLD, "fixture-c")).outcome == "quit"


def tamper(source: Path, destination: Path, fix_checksum: bool) -> Path:
    """A copy of a recording whose 6th action turns the head hard left."""
    shutil.copytree(source, destination)
    with np.load(destination / PLAY) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["actions"][5, ctl.A["head_yaw"]] = 1.0
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    (destination / PLAY).write_bytes(buffer.getvalue())
    if fix_checksum:
        import hashlib

        meta = json.loads((destination / "metadata.json").read_text())
        meta["play_sha256"] = hashlib.sha256(buffer.getvalue()).hexdigest()
        write_json(destination / "metadata.json", meta)
    return destination


def test_tampered_recording_fails_replay(recordings: Path, tmp_path: Path) -> None:
    source = run_dir(recordings, "eat__0__0", "fixture-a")
    with pytest.raises(RecordingError, match="does not match the play_sha256"):
        replay(tamper(source, tmp_path / "edited", fix_checksum=False))
    with pytest.raises(ReplayMismatch, match=r"tick 6: .* in the replay but .* in the recording"):
        replay(tamper(source, tmp_path / "forged", fix_checksum=True))


def test_human_scores_and_report(recordings: Path, tmp_path: Path) -> None:
    reference, problems = build_reference(recordings)
    assert reference["plays"] == {} and reference["provenance"]["counts"]["fixtures_refused"] == 3
    reference, problems = build_reference(recordings, include_fixtures=True, verify_replay=True)
    assert problems == []
    provenance = reference["provenance"]
    assert "FIXTURE" in provenance["source"] and provenance["fixtures"] == [FIXTURE_LABEL]
    assert provenance["counts"] == {"not_evaluation_world": 1, "quits": 1, "unfinished": 1, "valid": 2}
    assert provenance["per_world"][EVAL_WORLD] == {"quits": 1, "unfinished": 1, "valid": 2}
    plays = reference["plays"][EVAL_WORLD]
    assert [play["player"] for play in plays] == ["fixture-a", "fixture-b"]
    recorded = read_recording(run_dir(recordings, EVAL_WORLD, "fixture-a")).metadata["score"]
    assert plays[0]["score"] == pytest.approx(recorded) and plays[0]["score"] > 1.0

    out = tmp_path / "human" / "fixture_scores.json"
    argv = ["scores", "--recordings", str(recordings), "--out", str(out), "--include-fixtures"]
    assert human_main(argv) == 0
    assert human_main(["scores", "--recordings", str(recordings), "--out", str(tmp_path / "none.json")]) == 1
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.json").write_text(json.dumps({"agent": "a", "split": "minival", "manifest_sha256": "0" * 64}))
    line = {"world_id": EVAL_WORLD, "task": "eat", "difficulty": 0.48, "seed": 25, "success": False, "score": 0.0}
    line.update({"return": 0.0, "steps": 10, "wall_seconds": 0.1, "agent": "a"})
    (run / "episodes.jsonl").write_text(json.dumps(line) + "\n")
    random = tmp_path / "random.json"
    random.write_text(json.dumps(random_baseline({EVAL_WORLD: [0.0]})))
    report = build_report(run, random, tmp_path / "human")
    assert report["headline"] == "human_normalized"
    assert report["tasks"]["eat"]["scores"]["human_normalized"]["mean"] == 0.0
    assert "FIXTURE" in report["references"]["human"]["files"][0]["provenance"]["source"]


def test_keyboard_mouse_action_mode_in_make_vec() -> None:
    vec = avalon.make_vec("eat", 2, action_mode="keyboard_mouse", difficulty=0.0, headless=True, resolution=16,
                          time_limit=30)  # fmt: skip
    try:
        assert vec.single_action_space.shape == (ctl.KM_ACTION_SIZE,)
        vec.reset(seed=0)
        ended = np.zeros(2, bool)
        successes = np.zeros(2, bool)
        for tick in range(31):
            km = np.zeros((2, ctl.KM_ACTION_SIZE), np.float32)
            km[0, ctl.KM["grasp_right"]] = 1.0  # env 0 plays like a person; env 1 does nothing
            km[0, ctl.KM["move_z"]] = -1.0 if tick < 2 else 0.0
            km[0, ctl.KM["eat"]] = float(tick >= 8)
            _, _, terminated, truncated, info = vec.step(km)
            done = (terminated | truncated) & ~ended
            successes |= done & info["success"]
            ended |= terminated | truncated
        assert ended.all(), "the 30-frame limit ends every episode"
        assert successes.tolist() == [True, False]
    finally:
        vec.close()


def test_client_refuses_bad_input_clearly(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from avalon.human.client import main as play_main

    assert play_main(["--world", "eat__99999__0.5", "--player", "p"]) == 2
    assert "is not an evaluation world id" in capsys.readouterr().err
    from scoring.evalset import available_tasks, recipe_worlds

    unimplemented = next(w for w in reversed(recipe_worlds()) if w.task not in available_tasks())
    assert play_main(["--world", unimplemented.id, "--player", "p"]) == 2
    assert "not implemented yet" in capsys.readouterr().err
    assert play_main(["--task", "eat", "--player", "../../etc"]) == 2
    assert "player id" in capsys.readouterr().err
    monkeypatch.delenv("DISPLAY", raising=False)
    assert play_main(["--task", "eat", "--player", "p"]) == 1
    assert "needs a display" in capsys.readouterr().err
