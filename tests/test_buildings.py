"""Buildings in world specs (no Godot): tiles -> few boxes, the codec round trip and its box check, the world checks,
and the layout library (rooms, chains, doorways, windows, T/L footprints, hallways, ramps, ladders). The engine side:
godot_project/tests/rules/building_scenarios.gd and tests/test_buildings_godot.py."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools

import numpy as np
import pytest

from avalon.constants import WORLD_FORMAT_VERSION
from avalon.world import codec
from avalon.world.builders import flat_world
from avalon.world.building import (
    SIDE_STEP,
    BoxKind,
    Building,
    Ladder,
    Ramp,
    Side,
    Storey,
    Tile,
    building_boxes,
    greedy_rectangles,
)
from avalon.world.codec import CorruptWorldError, decode_world, encode_world, spec_to_variant
from avalon.world.connections import (
    RAMP_RISE_TILES,
    add_hallways,
    add_ladder,
    add_ramp,
    delaunay_edges,
    link_storeys,
    reachable_floor,
    room_graph,
    spanning_tree,
)
from avalon.world.layout import (
    MIN_BUILDING,
    ImpossibleLayoutError,
    Layout,
    Room,
    chain,
    doorway_between,
    house_rooms,
    interior,
    ladder_tiles,
    ramp_tiles,
    rectangle_footprints,
    tl_footprints,
    window_tiles,
)
from avalon.world.spec import Item
from avalon.world.validate import InvalidWorldError, check_world

APPLE = Item.food("apple", 1, (3.0, 0.5, 3.0))


def _box_room(nz: int = 7, nx: int = 9) -> np.ndarray:
    tiles = np.full((nz, nx), Tile.WALL, np.uint8)
    tiles[1:-1, 1:-1] = Tile.FLOOR
    return tiles


def _two_storeys() -> Building:
    ground = _box_room()
    ground[0, 3] = Tile.WINDOW
    upper = _box_room()
    upper[2, 2] = Tile.VOID
    upper[2, 3] = Tile.VOID
    ceiling = (ground == Tile.FLOOR).astype(np.uint8)
    ceiling[2, 2] = ceiling[2, 3] = 0
    lower = dataclasses.replace(Storey.of(ground), ceiling=ceiling)
    return Building((-4.5, 0.0, -3.5), (lower, Storey.of(upper, level=5.0)), ladders=(Ladder(0, 2, 2, Side.WEST),))


def _world(building: Building):
    return dataclasses.replace(flat_world(items=(APPLE,)), buildings=(building,))


def test_greedy_rectangles_cover_exactly_once() -> None:
    rng = np.random.default_rng(0)
    mask = rng.uniform(size=(12, 15)) < 0.6
    count = np.zeros(mask.shape, int)
    for z0, x0, z1, x1 in greedy_rectangles(mask):
        count[z0:z1, x0:x1] += 1
    assert (count == mask).all()


def test_a_room_is_few_boxes() -> None:
    """A 7 x 9 walled room: 1 floor box, 1 ceiling box, 4 wall boxes; not one box per tile."""
    boxes = building_boxes(Building((0.0, 0.0, 0.0), (Storey.of(_box_room()),)))
    assert len(boxes) == 6
    assert (boxes.kinds == BoxKind.SOLID).all()
    # The floor's top is the level, the ceiling's bottom 3 m above it.
    tops = boxes.centres[:, 1] + boxes.sizes[:, 1] / 2
    bottoms = boxes.centres[:, 1] - boxes.sizes[:, 1] / 2
    assert 0.0 in tops.tolist() and 3.0 in bottoms.tolist()


def test_windows_ladders_and_climbable_floors_get_their_kinds() -> None:
    building = _two_storeys()
    boxes = building_boxes(building)
    glass = boxes.of_kind(BoxKind.GLASS)
    assert len(glass) == 1 and glass.sizes[0, 1] == pytest.approx(2.0)  # 0.75 -> 2.75 m above the floor
    climbable = boxes.of_kind(BoxKind.CLIMBABLE)
    assert len(climbable) == 1 and climbable.sizes[0].tolist() == pytest.approx([0.1, 5.0, 1.0])
    assert len(boxes.of_kind(BoxKind.TRIM)) > 5  # rails and rungs
    flagged = Storey.of(_box_room())
    climb = np.zeros(flagged.tiles.shape, np.uint8)
    climb[1, 1:-1] = 1
    raised = np.zeros(flagged.tiles.shape, np.float32)
    raised[1, 1:-1] = 1.5
    flagged = dataclasses.replace(flagged, climbable=climb, floor=raised)
    boxes = building_boxes(Building((0.0, 0.0, 0.0), (flagged,)))
    row = boxes.of_kind(BoxKind.CLIMBABLE)
    assert len(row) == 1 and row.centres[0, 1] + row.sizes[0, 1] / 2 == pytest.approx(1.5)


def test_a_ramp_is_a_tilted_box_whose_top_meets_both_floors() -> None:
    ground = _box_room(9, 9)
    upper = _box_room(9, 9)
    upper[2:7, 4] = Tile.VOID
    building = Building(
        (0.0, 0.0, 0.0), (Storey.of(ground), Storey.of(upper, level=5.0)), ramps=(Ramp(0, 7, 4, Side.NORTH, 5),)
    )
    check_world(_world(building))
    boxes = building_boxes(building)
    ramp = np.flatnonzero(boxes.angles[:, 0] != 0)
    assert len(ramp) == 1
    pitch, yaw = boxes.angles[ramp[0]]
    assert pitch == pytest.approx(45.0) and yaw == pytest.approx(0.0)
    # The top face (its normal leans back, downhill) has its middle half way up, over the slope's middle (z 7 -> 2).
    centre, size = boxes.centres[ramp[0]], boxes.sizes[ramp[0]]
    top_mid = centre + np.array([0.0, np.cos(np.radians(pitch)), np.sin(np.radians(pitch))]) * size[1] / 2
    assert top_mid.tolist() == pytest.approx([4.5, 2.5, 4.5], abs=1e-5)


def test_buildings_round_trip_and_worlds_without_keep_their_bytes() -> None:
    world = _world(_two_storeys())
    check_world(world)
    assert decode_world(encode_world(world)) == world
    plain = flat_world(items=(APPLE,))
    assert "buildings" not in spec_to_variant(plain)
    assert decode_world(encode_world(plain)) == plain


def test_the_decoder_refuses_boxes_that_do_not_match_the_tiles() -> None:
    world = _world(_two_storeys())
    variant = spec_to_variant(world)
    boxes = variant["buildings"][0]["boxes"].copy()
    boxes[0] += 1.0
    variant["buildings"][0]["boxes"] = boxes
    payload = codec.encode_variant(variant)
    header = codec.HEADER.pack(codec.MAGIC, WORLD_FORMAT_VERSION, 0, len(payload), hashlib.sha256(payload).digest())
    with pytest.raises(CorruptWorldError, match=r"buildings\[0\]: boxes do not match"):
        decode_world(header + payload)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: dataclasses.replace(b, ladders=(Ladder(1, 2, 2, Side.WEST),)), "no storey above"),
        (lambda b: dataclasses.replace(b, ladders=(Ladder(0, 0, 0, Side.WEST),)), "must stand on a FLOOR"),
        (lambda b: dataclasses.replace(b, ladders=(Ladder(0, 3, 3, Side.WEST),)), "needs a VOID tile"),
        (
            lambda b: dataclasses.replace(b, storeys=(b.storeys[0], dataclasses.replace(b.storeys[1], level=3.0))),
            "into the ceiling of the storey below",
        ),
        (
            lambda b: dataclasses.replace(
                b, storeys=(dataclasses.replace(b.storeys[0], tiles=np.full((7, 9), 9, np.uint8)), b.storeys[1])
            ),
            "known tiles are",
        ),
        (
            lambda b: dataclasses.replace(
                b, storeys=(dataclasses.replace(b.storeys[0], climbable=np.ones((7, 9), np.uint8)), b.storeys[1])
            ),
            "only floor blocks can be climbable",
        ),
        (
            lambda b: dataclasses.replace(
                b, storeys=(b.storeys[0], dataclasses.replace(b.storeys[1], tiles=np.zeros((5, 9), np.uint8)))
            ),
            "has shape",
        ),
    ],
)
def test_bad_buildings_are_refused_by_name(change, message: str) -> None:
    with pytest.raises(InvalidWorldError, match=message):
        check_world(_world(change(_two_storeys())))


def test_upper_storeys_shrink_until_seven_wide() -> None:
    sizes = [int(f.sum(axis=1).max()) for f in rectangle_footprints(11, 11, 4)]
    assert sizes == [11, 9, 7, 7]


@pytest.mark.parametrize("seed", range(10))
def test_house_rooms_are_walled_rectangles_within_the_budget(seed: int) -> None:
    rng = np.random.default_rng(seed)
    footprint = rectangle_footprints(17, 15, 1)[0]
    rooms = house_rooms(rng, footprint, 0, max_rooms=5)
    assert 1 <= len(rooms) <= 5
    taken = np.zeros(footprint.shape, int)
    for room in rooms:
        assert min(room.size) >= 3
        taken[room.z0 : room.z1, room.x0 : room.x1] += 1
    assert taken.max() == 1
    assert not taken[0].any() and not taken[-1].any() and not taken[:, 0].any() and not taken[:, -1].any()


def test_a_chain_visits_every_room_once_through_shared_walls() -> None:
    rooms = [Room(0, 1, 1, 4, 4), Room(0, 1, 5, 4, 8), Room(0, 5, 1, 8, 8)]
    order = chain(rooms)
    assert sorted(order) == [0, 1, 2]
    links = list(itertools.pairwise(order))
    doorways = [doorway_between(rooms, a, b) for a, b in links]
    for doorway, (a, b) in zip(doorways, links, strict=True):
        assert not rooms[a].contains(doorway.z, doorway.x) and not rooms[b].contains(doorway.z, doorway.x)
    with pytest.raises(ImpossibleLayoutError, match="no path through all 3 rooms"):
        chain([Room(0, 1, 1, 4, 4), Room(0, 1, 5, 4, 8), Room(0, 1, 9, 4, 12)][::2] + [Room(0, 9, 9, 12, 12)])


def test_windows_sit_on_straight_exterior_runs_only() -> None:
    tiles = _box_room(7, 12)
    windows = window_tiles(tiles)
    assert windows.any()
    assert not windows[0, 0] and not windows[0, -1]  # corners
    assert not windows[1:-1, 1:-1].any()  # nothing inside
    # 10 tiles of straight wall on the long sides -> 4 windows each (one per 2.5 m); 5 on the short sides -> 2.
    assert windows[0].sum() == 4 and windows[:, 0].sum() == 2


# --- T and L footprints, hallways, ramps and ladders, the room graph -------------------------------------------------


def test_delaunay_and_the_spanning_tree_of_a_few_points() -> None:
    square = np.array([[0.0, 0.0], [0.0, 10.0], [10.0, 0.0], [10.0, 10.0], [5.0, 4.0]])
    edges = delaunay_edges(square)
    # The four sides and the centre to every corner; no diagonal across the centre.
    assert edges == {(0, 1), (0, 2), (1, 3), (2, 3), (0, 4), (1, 4), (2, 4), (3, 4)}
    tree = spanning_tree(square)
    assert len(tree) == 4 and set(tree) <= edges and all(4 in e for e in tree)
    line = np.array([[0.0, 0.0], [0.0, 2.0], [0.0, 1.0]])
    assert delaunay_edges(line) == {(0, 2), (1, 2)}
    rng = np.random.default_rng(3)
    cloud = rng.uniform(0, 30, size=(40, 2))
    # Euler for a triangulation of n points with h on the hull: 3n - 3 - h edges.
    assert set(spanning_tree(cloud)) <= delaunay_edges(cloud)
    assert 2 * 40 - 3 <= len(delaunay_edges(cloud)) <= 3 * 40 - 6


@pytest.mark.parametrize("seed", range(6))
def test_t_and_l_footprints_are_two_full_bars(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ground, first, second = tl_footprints(rng, 20, 20, 3)
    assert ground[:, :].any(axis=0).all() and ground.any(axis=1).all()  # full width and full length
    assert 0.3 < ground.mean() < 0.97
    zs, xs = np.nonzero(first)
    assert first[zs.min() : zs.max() + 1, xs.min() : xs.max() + 1].all() and not (first & ~ground).any()
    assert zs.max() - zs.min() + 1 >= MIN_BUILDING and xs.max() - xs.min() + 1 >= MIN_BUILDING
    assert second.sum() <= first.sum() and not (second & ~first).any()


@pytest.mark.parametrize("seed", range(6))
def test_hallways_join_every_room_of_a_storey(seed: int) -> None:
    rng = np.random.default_rng(seed)
    footprints = tl_footprints(rng, 24, 24, 1)
    layout = Layout(footprints, rooms=house_rooms(rng, footprints[0], 0, 40, 3))
    hallways = add_hallways(rng, layout, 0, 1.0)
    assert len(hallways) >= len(layout.rooms) - 1
    tiles = layout.tiles(0)
    ring = footprints[0] & ~interior(footprints[0])
    assert not (ring & (tiles == Tile.FLOOR)).any()  # the exterior wall stays whole
    walk = tiles == Tile.FLOOR
    from avalon.world.connections import _components

    assert _components(walk) == 1
    graph = room_graph(layout)
    assert len(graph.distances(0)) == len(layout.rooms)


def test_a_ramp_cuts_the_floor_above_and_the_ceiling_below() -> None:
    footprints = rectangle_footprints(12, 12, 2)
    layout = Layout(footprints, rooms=[Room(0, 1, 1, 11, 11), Room(1, 2, 2, 10, 10)])
    ramp = add_ramp(np.random.default_rng(0), layout, 0)
    assert ramp is not None and ramp.length == RAMP_RISE_TILES
    b = layout.building((0.0, 0.0, 0.0))
    tiles = ramp_tiles(ramp)
    lower, upper = b.storeys
    assert [int(upper.tiles[t]) for t in tiles[2:-1]] == [Tile.VOID] * RAMP_RISE_TILES
    assert upper.tiles[tiles[-1]] == Tile.FLOOR and lower.tiles[tiles[0]] == Tile.FLOOR
    assert [int(lower.ceiling[t]) for t in tiles[1:-1]] == [0] * (RAMP_RISE_TILES + 1)
    assert all(upper.ceiling[t] for t in tiles[2:-1])  # the storey above keeps its roof over the hole
    assert (room_graph(layout).edges[0][0][0], b.ramps) == (1, (ramp,))
    check_world(_world(b))


def test_a_ladder_cuts_a_one_by_two_hole_with_a_landing_beyond() -> None:
    footprints = rectangle_footprints(9, 9, 2)
    layout = Layout(footprints, rooms=[Room(0, 1, 1, 8, 8), Room(1, 2, 2, 7, 7)])
    ladder = add_ladder(np.random.default_rng(0), layout, 0)
    assert ladder is not None
    foot, behind, landing = ladder_tiles(ladder)
    b = layout.building((0.0, 0.0, 0.0))
    lower, upper = b.storeys
    assert upper.tiles[foot] == upper.tiles[behind] == Tile.VOID and upper.tiles[landing] == Tile.FLOOR
    assert lower.ceiling[foot] == lower.ceiling[behind] == 0
    assert upper.tiles[Room(1, 2, 2, 7, 7).centre] == Tile.FLOOR  # never the room's centre
    reach = reachable_floor(b, 0, (1, 1))
    assert reach[1][landing] and reach[1][upper.tiles == Tile.FLOOR].all()
    check_world(_world(b))


def test_no_link_fits_a_tiny_upper_room() -> None:
    footprints = rectangle_footprints(7, 7, 2)
    layout = Layout(footprints, rooms=[Room(0, 1, 1, 6, 6), Room(1, 1, 1, 2, 2)])
    assert link_storeys(np.random.default_rng(0), layout) == [0]


@pytest.mark.parametrize("seed", range(6))
def test_an_entrance_carves_the_outline_facing_out_without_windows_beside_it(seed: int) -> None:
    from avalon.tasks.open import doors
    from avalon.world.layout import OUTSIDE_ROOM, Layout, add_entrance

    rng = np.random.default_rng(seed)
    footprints = rectangle_footprints(12, 9, 1)
    layout = Layout(footprints, rooms=house_rooms(rng, footprints[0], 0, max_rooms=3))
    out = Side(seed % 4)
    doorway = add_entrance(rng, layout, sides=(out,))
    assert doorway is not None and doorway.rooms[0] == OUTSIDE_ROOM
    tiles = layout.tiles(0)
    assert tiles[doorway.z, doorway.x] == Tile.FLOOR
    dz, dx = SIDE_STEP[out]
    nz, nx = tiles.shape
    assert not (0 <= doorway.z + dz < nz and 0 <= doorway.x + dx < nx), "it is in the outline, facing `out`"
    beside = [(doorway.z + dx, doorway.x + dz), (doorway.z - dx, doorway.x - dz)]
    assert all(tiles[t] == Tile.WALL for t in beside), "no window on either side of it"
    building = layout.building((-6.0, 0.0, -4.5))
    (door, *_) = doors(rng, 0.0, building, [doorway])
    yaw = np.radians(door.yaw)
    facing = (round(np.sin(yaw)), round(np.cos(yaw)))  # the door's +z, its approach side
    assert facing == (dx, dz), "the door opens from outside"
    world = dataclasses.replace(flat_world(30, items=(APPLE, door)), buildings=(building,))
    check_world(world)
