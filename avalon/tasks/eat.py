"""EAT: food near the spawn point; walk to it, grab it and bring it to the mouth.

What is generated: a small island (30-60 m) with one kind of food, one or a bunch of 2-5: on an altar (a static
pillar), on the ground, or one hanging from a fruit tree with the rest of the bunch on the ground beneath. Openable
foods (orange, avocado, coconut) are always closed; a rock or a stick lies near the spawn point when one is needed,
and food on a tree comes with extra tools around the spawn point as well.

How difficulty scales (as the original's code): the food kind is an easy-first
categorical over all ten foods (apple -> carrot); P(single food) 1 -> 0.3 (cherries always come in bunches of
2 + round(U(0, 3) d)); P(on an altar) 1 -> 0.01 for foods that grow on the ground, the altar 1.3 + U(-1, 0.5) d m
high, 1 + U(0, 1) d m wide and 0.5 + U(0, 5) d m away; otherwise the food is 1 + U(0, 10) d m away (normal, sigma a
fifth of that) and P(on the ground rather than a tree) 1 -> 0.1 for foods found in both places; never closer than
1 m. P(a tool is needed for a closed food) = min(1, odds / d) with odds avocado 1 (a rock), coconut 0.25, orange
0.1 (a rock or a stick); extra tools, only for food on a tree: 4 - 3d - U d when a tool is needed, else U(0, 3) d;
tools lie 1 -> 2 + 3d m from the spawn point, rocks among the extras 0.5 -> 0.95 (40 % of them large); spawn yaw
and pitch noise grow with d. At d = 0 an apple sits on a 1.3 m altar 1 m in front of the agent, its centre about a
metre from the head: even the random policy eats it often.

Deliberate differences: the other foods of a bunch lie on the ground 0.75-2 m from the first (beside the altar when
there is one: the original drops them from the altar's height, which squishes figs), except honeycombs, which would
spoil there and hang round the trunk instead; "40 % of the extra rocks are large" is the original's rule for
compositional weapons, applied here because the EAT share is not in the reference.

What success needs: every food eaten (all edible food gone).
"""

from __future__ import annotations

import math

import numpy as np

from avalon.constants import BODY_RADIUS
from avalon.difficulty import Knob, select_boolean, select_categorical
from avalon.entities import FOOD_BY_NAME, FOOD_KINDS, LARGE_ROCK_SIZE, ROCK_SIZE, STICK_LENGTH, STICK_RADIUS
from avalon.tasks import common as c
from avalon.world import terrain as tr
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 3  # 3: large rocks are their own kind (large_rock)
TASK_NAME = "eat"

P_SINGLE_FOOD = (1.0, 0.3)  # (easy, hard) probability of a single food
P_ON_ALTAR = (1.0, 0.01)
P_ON_GROUND = (1.0, 0.1)  # rather than hanging from a tree, for foods found in both places
EXTRA_FOODS = Knob(easy=0.0, hard=3.0)  # bunch size = 2 + round(random_lerp)
MAX_FOODS = 5
ALWAYS_MULTIPLE = ("cherry",)
MIN_GOAL_DISTANCE = 1.0  # m, spawn to food (the original's MIN_GOAL_DISTANCE)
ALTAR_HEIGHT_BASE = 1.3  # m
ALTAR_HEIGHT_VARIATION = (-1.0, 0.5)  # m, times U and d
ALTAR_WIDTH = Knob(easy=1.0, hard=2.0)  # random-lerped
ALTAR_DISTANCE = Knob(easy=0.5, hard=5.5)  # m, random-lerped spawn-to-altar distance
ALTAR_CLEARANCE = 0.1  # m between the altar and the agent's body at the spawn point
GROUND_DISTANCE = Knob(easy=1.0, hard=11.0)  # m, random-lerped spawn-to-food distance (then sigma = dist / 5)
BUNCH_DISTANCE = (0.75, 2.0)  # m from the first food to the others of a bunch
EXTRA_TOOLS = Knob(easy=0.0, hard=3.0)  # random-lerped count when no tool is needed (food on a tree only)
TOOL_DISTANCE = Knob(easy=2.0, hard=5.0)  # m, tools lie TOOL_MIN_DISTANCE to this far from the spawn point
TOOL_MIN_DISTANCE = 1.0
ROCK_SHARE = Knob(easy=0.5, hard=0.95)  # of the extra tools (the original's get_rock_probability)
P_LARGE_ROCK = 0.4  # of the extra rocks
TREE_BUNCH_SPREAD = 0.9  # rad between foods hanging round one trunk (1.1 m apart at 1.25 m from it)
CLEARANCE = 0.1  # m kept between things placed on the ground
PLACEMENT_ATTEMPTS = 60
BUNCH_OVERFLOW = 1.5  # m a crowded bunch may spread beyond its span
TOOL_MAX_RISE = 0.25  # m of height change under a tool's footprint (about 17 degrees over 0.8 m)
TOOL_DROP = 0.05  # m above the highest terrain point under a tool, so it settles instead of starting buried

VARIANTS = FOOD_KINDS  # generate_world(..., variant=food) forces the food kind

Disc = tuple[c.Point2, float]  # (x, z) and radius of something already on the ground


def _tool_needed(rng: np.random.Generator, food: str, d: float) -> str | None:
    """The tool a closed food needs (reference: P = min(1, odds / d)): "rock" or "stick", or None."""
    info = FOOD_BY_NAME[food].food_info
    if info.tool_odds <= 0.0 or rng.uniform() * d >= info.tool_odds:
        return None
    return "rock" if info.needs_rock or rng.uniform() < 0.5 else "stick"


def _extra_tools(rng: np.random.Generator, needed: bool, d: float) -> list[str]:
    """Extra tools beside a tree's food: 4 - 3d - U d of them when a tool is needed, else U(0, 3) d; each a rock
    (ROCK_SHARE, P_LARGE_ROCK of them large) or a stick."""
    count = round(4.0 - 3.0 * d - rng.uniform() * d) if needed else round(EXTRA_TOOLS.random_lerp(rng, d))
    kinds = []
    for _ in range(max(0, count)):
        if rng.uniform() < ROCK_SHARE.lerp(d):
            kinds.append("large_rock" if rng.uniform() < P_LARGE_ROCK else "rock")
        else:
            kinds.append("stick")
    return kinds


def _clear(point: c.Point2, radius: float, taken: list[Disc]) -> bool:
    return all(math.dist(point, other) >= radius + other_radius + CLEARANCE for other, other_radius in taken)


def _bunch_range(info_radius: float, altar_width: float) -> tuple[float, float]:
    """m from the first food to the others of a bunch: BUNCH_DISTANCE, or beside the altar when there is one."""
    if altar_width <= 0.0:
        return BUNCH_DISTANCE
    near = max(BUNCH_DISTANCE[0], altar_width * math.sqrt(0.5) + info_radius + CLEARANCE)
    return near, max(BUNCH_DISTANCE[1], near + 0.5)


def _bunch_points(
    rng: np.random.Generator, goal: c.Point2, count: int, radius: float, span: tuple[float, float], taken: list[Disc]
) -> list[c.Point2]:
    """`count` points `span` m from `goal` (farther, up to BUNCH_OVERFLOW more, when crowded), clear of `taken`
    (which they join)."""
    points = []
    for _ in range(count):
        candidate = goal
        for attempt in range(PLACEMENT_ATTEMPTS):
            far = span[1] + BUNCH_OVERFLOW * attempt / (PLACEMENT_ATTEMPTS - 1)
            candidate = c.offset(goal, rng.uniform(0, 2 * math.pi), rng.uniform(span[0], far))
            if _clear(candidate, radius, taken):
                break
        points.append(candidate)
        taken.append((candidate, radius))
    return points


def _place_tool(
    rng: np.random.Generator, heightmap: tr.Heightmap, spawn: c.Point2, reach: float, taken: list[Disc]
) -> tuple[float, float, float]:
    """(x, z, ground) for a tool around the spawn point: clear of `taken` and on gentle ground when possible."""
    candidates = []
    for _ in range(PLACEMENT_ATTEMPTS):
        x, z = c.offset(spawn, rng.uniform(0, 2 * math.pi), rng.uniform(TOOL_MIN_DISTANCE, reach))
        under = [heightmap.height_at(x + dx, z + dz) for dx in (-0.4, 0.4) for dz in (-0.4, 0.4)]
        rise = max(under) - min(under)
        clear = _clear((x, z), 0.5, taken)
        candidates.append((not clear, rise, x, z, max(under)))
        if clear and rise <= TOOL_MAX_RISE:
            break
    _, _, x, z, ground = min(candidates)
    taken.append(((x, z), 0.5))
    return x, z, ground


def generate(rng: np.random.Generator, difficulty: float, forced_food: str | None = None) -> WorldSpec:
    d = difficulty
    if forced_food is None:
        food, d = select_categorical(rng, FOOD_KINDS, d)
    else:
        food = forced_food
    row = FOOD_BY_NAME[food]
    info = row.food_info
    single, d = select_boolean(rng, d, *P_SINGLE_FOOD)
    single = single and food not in ALWAYS_MULTIPLE
    on_altar, d = select_boolean(rng, d, *P_ON_ALTAR) if info.on_ground else (False, d)
    on_tree = False
    altar_height = altar_width = 0.0
    if on_altar:
        altar_height = ALTAR_HEIGHT_BASE + rng.uniform(*ALTAR_HEIGHT_VARIATION) * d
        altar_width = ALTAR_WIDTH.random_lerp(rng, d)
        distance = max(ALTAR_DISTANCE.random_lerp(rng, d), MIN_GOAL_DISTANCE)
        distance = max(distance, altar_width / 2 + BODY_RADIUS + ALTAR_CLEARANCE)  # the altar faces the agent
    else:
        if info.on_tree and info.on_ground:
            on_ground, d = select_boolean(rng, d, *P_ON_GROUND)
            on_tree = not on_ground
        else:
            on_tree = info.on_tree
        mean = GROUND_DISTANCE.random_lerp(rng, d)
        distance = float(np.clip(rng.normal(mean, mean / 5), MIN_GOAL_DISTANCE, GROUND_DISTANCE.hard))
        if not on_tree:  # clear of the agent's body
            distance = max(distance, BODY_RADIUS + row.horizontal_radius + CLEARANCE)
    opened = info.open_speed <= 0.0  # openable foods are never pre-opened in EAT (as the original's code)
    count = 1 if single else min(MAX_FOODS, 2 + round(EXTRA_FOODS.random_lerp(rng, d)))
    needed = None if opened else _tool_needed(rng, food, d)
    tools = ([needed] if needed else []) + (_extra_tools(rng, needed is not None, d) if on_tree else [])
    tool_reach = TOOL_DISTANCE.lerp(d)

    # Layout relative to the spawn point, then framed into the smallest island that holds it.
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK) if on_tree else goal_rel
    span = _bunch_range(row.horizontal_radius, altar_width)
    around_goal = span[1] + BUNCH_OVERFLOW + row.horizontal_radius
    layout = c.frame_points([((0.0, 0.0), tool_reach + 1.0), (goal_rel, around_goal + 1.0), (trunk_rel, 2.0)])
    spawn_xz, goal, trunk = layout.place((0.0, 0.0)), layout.place(goal_rel), layout.place(trunk_rel)
    heightmap = c.make_island(rng, d, layout)
    flat = c.FLATTEN_RADIUS.lerp(d)
    tr.ensure_walkable_path(heightmap, spawn_xz, goal)
    discs = [(spawn_xz, max(flat, c.MIN_FLAT_RADIUS)), (goal, max(flat, around_goal))]
    if on_tree:
        discs.append((trunk, c.MIN_FLAT_RADIUS))
    ground = tr.flatten_many(heightmap, discs)[1]

    # What stands on the ground, as discs to keep clear of: the agent, the altar or the trunk, the foods.
    taken: list[Disc] = [(spawn_xz, BODY_RADIUS + 0.2)]
    if on_altar:
        taken.append((goal, altar_width * math.sqrt(0.5)))
    if on_tree:
        taken.append((trunk, 0.3))
    buried = info.can_be_buried  # a buried carrot's centre is at ground level (on an altar: its top)
    rest = 0.0 if buried else row.rest_height
    if on_tree:
        first = c.hanging_food(rng, food, 1, ground, trunk, angle + math.pi, opened=opened)
    else:
        top = ground + (altar_height if on_altar else 0.0)
        first = Item.food(food, 1, (goal[0], top + rest, goal[1]), rng.uniform(-180, 180), opened=opened, buried=buried)
        if not on_altar:
            taken.append((goal, row.horizontal_radius))
    items = [first]
    if on_tree and not info.on_ground:  # a honeycomb would spoil on the ground: the bunch hangs round the trunk
        for n in range(2, count + 1):
            spread = TREE_BUNCH_SPREAD * (n // 2) * (1 if n % 2 == 0 else -1)
            items.append(c.hanging_food(rng, food, n, ground, trunk, angle + math.pi, spread, opened))
    else:
        for n, (x, z) in enumerate(_bunch_points(rng, goal, count - 1, row.horizontal_radius, span, taken), start=2):
            position = (x, ground + rest, z)
            items.append(Item.food(food, n, position, rng.uniform(-180, 180), opened=opened, buried=buried))
    next_id = len(items) + 1
    for kind in tools:
        x, z, floor = _place_tool(rng, heightmap, spawn_xz, tool_reach, taken)
        yaw = rng.uniform(-180, 180)
        if kind == "stick":
            items.append(Item.stick(next_id, (x, floor + STICK_RADIUS + TOOL_DROP, z), yaw, length=STICK_LENGTH))
        elif kind == "large_rock":
            items.append(Item.of("large_rock", next_id, (x, floor + LARGE_ROCK_SIZE / 2 + TOOL_DROP, z), yaw))
        else:
            items.append(Item.rock(next_id, (x, floor + ROCK_SIZE / 2 + TOOL_DROP, z), yaw))
        next_id += 1
    if on_altar:
        position = (goal[0], ground + altar_height / 2, goal[1])
        yaw = -math.degrees(angle)  # a face towards the agent
        items.append(Item.altar(next_id, position, (altar_width, altar_height, altar_width), yaw))
    elif on_tree:
        items.append(Item.fruit_tree(next_id, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT))

    spawn = c.spawn_facing(rng, d, (spawn_xz[0], heightmap.height_at(*spawn_xz), spawn_xz[1]), first.position)
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn_xz, tool_reach + 1.0), (goal, around_goal + 1.0), (trunk, 2.5)],
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
