"""EAT: food near the spawn point; walk to it, grab it and bring it to the mouth.

What is generated: a small island (30-60 m) with one food type: one food or a bunch of 2-5, placed on an altar
(a static pillar), on the ground, or hanging from a fruit tree; openable foods (orange, avocado, coconut) may come
closed, with rocks or sticks nearby when a tool is needed, plus extra tools as distractors.

How difficulty scales (reference section 3, EAT): the food type is an easy-first categorical over all ten foods
(apple -> carrot); P(single food) 1 -> 0.3; P(on an altar) 1 -> 0.01 (ground foods only); altar height
1.3 + U(-1, 0.5) d, width 1 + U(0, 1) d, distance 0.5 + U(0, 5) d; otherwise distance 1 + U(0, 10) d (sigma
dist/5) and P(on the ground rather than a tree) 1 -> 0.1; P(already opened) 1 -> 0.05; tools 1 -> 2 + 3d m from
the food; spawn yaw/pitch noise grows with d. At d = 0 an apple sits on an altar about a metre in front of the agent.

What success needs: every food eaten (all edible food gone).
"""

from __future__ import annotations

import math

import numpy as np

from avalon.constants import FOOD_BY_NAME, FOOD_KINDS, STICK_RADIUS
from avalon.difficulty import Knob, select_boolean, select_categorical
from avalon.tasks import common as c
from avalon.world import terrain as tr
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 1
TASK_NAME = "eat"

P_SINGLE_FOOD = (1.0, 0.3)  # (easy, hard) probability of a single food
P_ON_ALTAR = (1.0, 0.01)
P_ON_GROUND = (1.0, 0.1)  # rather than hanging from a tree, for foods found in both places
P_OPENED = (1.0, 0.05)
EXTRA_FOODS = Knob(easy=0.0, hard=3.0)  # bunch size = 2 + round(random_lerp)
MAX_FOODS = 5
ALWAYS_MULTIPLE = ("cherry",)
ALTAR_HEIGHT_BASE = 1.3  # m
ALTAR_HEIGHT_VARIATION = (-1.0, 0.5)  # m, times U and d
ALTAR_WIDTH = Knob(easy=1.0, hard=2.0)  # random-lerped
ALTAR_DISTANCE = Knob(easy=0.5, hard=5.5)  # m, random-lerped spawn-to-altar distance
GROUND_DISTANCE = Knob(easy=1.0, hard=11.0)  # m, random-lerped spawn-to-food distance (then sigma = dist / 5)
TOOL_RADIUS = Knob(easy=2.0, hard=5.0)  # m, tools lie 1 m to this far from the food
TOOL_MIN_RADIUS = 1.0
STICK_LENGTH = 1.6  # m
ROCK_SIZE = 0.5  # m
FOOD_SEPARATION = 0.35  # m between food centres in a bunch
TOOL_PLACEMENT_ATTEMPTS = 20
TOOL_MAX_RISE = 0.25  # m of height change under a tool's 0.8 m footprint (about 17 degrees)
TOOL_DROP = 0.05  # m above the highest terrain point under a tool, so it settles instead of starting buried


def _tool_kinds(rng: np.random.Generator, food: str, opened: bool, d: float) -> list[str]:
    """Tools needed for this food (reference: avocado always a rock, orange 10 %, coconut 25 %), then extras."""
    info = FOOD_BY_NAME[food]
    needed: list[str] = []
    if not opened and rng.uniform() < info.tool_probability:
        needed.append("rock" if info.needs_rock or rng.uniform() < 0.5 else "stick")
    extra = max(0, round(4 - 3 * d - rng.uniform() * d)) if needed else round(rng.uniform(0.0, 3.0) * d)
    return needed + ["rock" if rng.uniform() < 0.5 else "stick" for _ in range(extra)]


VARIANTS = FOOD_KINDS  # generate_world(..., variant=food) forces the food kind


def generate(rng: np.random.Generator, difficulty: float, forced_food: str | None = None) -> WorldSpec:
    d = difficulty
    if forced_food is None:
        food, d = select_categorical(rng, FOOD_KINDS, d)
    else:
        food = forced_food
    info = FOOD_BY_NAME[food]
    single, d = select_boolean(rng, d, *P_SINGLE_FOOD)
    single = single and food not in ALWAYS_MULTIPLE
    on_altar, d = select_boolean(rng, d, *P_ON_ALTAR) if info.on_ground else (False, d)
    on_tree = False
    if on_altar:
        altar_height = ALTAR_HEIGHT_BASE + rng.uniform(*ALTAR_HEIGHT_VARIATION) * d
        altar_width = ALTAR_WIDTH.random_lerp(rng, d)
        distance = max(ALTAR_DISTANCE.random_lerp(rng, d), altar_width / 2 + 0.6)
    else:
        if info.on_tree and info.on_ground:
            on_ground, d = select_boolean(rng, d, *P_ON_GROUND)
            on_tree = not on_ground
        else:
            on_tree = info.on_tree
        mean = GROUND_DISTANCE.random_lerp(rng, d)
        distance = float(np.clip(rng.normal(mean, mean / 5), 1.0, GROUND_DISTANCE.hard))
    opened = True
    if info.open_speed > 0:
        opened, d = select_boolean(rng, d, *P_OPENED)
    count = 1 if single else min(MAX_FOODS, 2 + round(EXTRA_FOODS.random_lerp(rng, d)))
    tools = _tool_kinds(rng, food, opened, d)
    tool_radius = TOOL_RADIUS.lerp(d)

    # Layout relative to the spawn point, then framed into the smallest island that holds it.
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK) if on_tree else goal_rel
    layout = c.frame_points([((0.0, 0.0), 3.0), (trunk_rel, tool_radius + 1.0)])
    spawn_xz, goal, trunk = layout.place((0.0, 0.0)), layout.place(goal_rel), layout.place(trunk_rel)
    heightmap = c.make_island(rng, d, layout)
    flat = c.FLATTEN_RADIUS.lerp(d)
    tr.ensure_walkable_path(heightmap, spawn_xz, goal)
    goal_area = max(flat, c.MIN_FLAT_RADIUS) + (0.0 if on_tree else 1.0)
    discs = [(spawn_xz, max(flat, c.MIN_FLAT_RADIUS)), (trunk if on_tree else goal, goal_area)]
    _, ground = tr.flatten_many(heightmap, discs)

    items: list[Item] = []
    next_id = 1
    if on_tree:
        spreads = np.linspace(-0.9, 0.9, count) if count > 1 else np.zeros(1)
        for spread in spreads:
            items.append(c.hanging_food(rng, d, food, next_id, ground, trunk, angle + math.pi, float(spread)))
            next_id += 1
    else:
        radius = info.radius
        top = ground + (altar_height if on_altar else 0.0)
        area = min(0.6, altar_width / 2 - radius - 0.05) if on_altar else 0.6
        for x, z in c.scatter_in_disc(rng, goal, max(area, 0.0), count, FOOD_SEPARATION):
            buried = food == "carrot"
            y = top if buried else top + radius
            items.append(Item.food(food, next_id, (x, y, z), rng.uniform(-180, 180), opened=opened, buried=buried))
            next_id += 1
    target = items[0].position
    keep_out = altar_width * 0.75 + 0.3 if on_altar else TOOL_MIN_RADIUS
    for kind in tools:
        # A tool rests where it lies: on gentle ground (a rock on a 30 degree slope slides metres away).
        candidates = []
        for _ in range(TOOL_PLACEMENT_ATTEMPTS):
            tool_angle = rng.uniform(0, 2 * math.pi)
            r = max(rng.uniform(TOOL_MIN_RADIUS, max(tool_radius, TOOL_MIN_RADIUS)), keep_out)
            x, z = c.offset(trunk, tool_angle, r)
            if math.hypot(x - spawn_xz[0], z - spawn_xz[1]) < 1.0:  # never on top of the agent
                x, z = c.offset(trunk, tool_angle + math.pi, r)
            under = [heightmap.height_at(x + dx, z + dz) for dx in (-0.4, 0.4) for dz in (-0.4, 0.4)]
            candidates.append((max(under) - min(under), x, z, max(under)))
            if candidates[-1][0] <= TOOL_MAX_RISE:
                break
        _, x, z, floor = min(candidates)
        yaw = rng.uniform(-180, 180)
        if kind == "rock":
            items.append(Item.rock(next_id, (x, floor + ROCK_SIZE / 2 + TOOL_DROP, z), yaw, size=ROCK_SIZE))
        else:
            items.append(Item.stick(next_id, (x, floor + STICK_RADIUS + TOOL_DROP, z), yaw, length=STICK_LENGTH))
        next_id += 1
    if on_altar:
        items.append(
            Item.altar(next_id, (goal[0], ground + altar_height / 2, goal[1]), (altar_width, altar_height, altar_width))
        )
    elif on_tree:
        items.append(Item.fruit_tree(next_id, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT))

    spawn = c.spawn_facing(rng, d, (spawn_xz[0], heightmap.height_at(*spawn_xz), spawn_xz[1]), target)
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn_xz, 2.5), (trunk, 2.0 + (0.0 if on_tree else tool_radius))],
        clear_lines=[(spawn_xz, goal, 1.5)],
    )
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=terrain,
        trees=trees,
        items=tuple(items),
        spawn=spawn,
    )
