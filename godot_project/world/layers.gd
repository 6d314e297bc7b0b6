# Physics layer bits, named the same in project.godot ([layer_names]).
# TODO(lead): move into avalon/constants.py -> generated/constants.gd.
extends Reference

const TERRAIN = 1
const STATIC = 2
const ITEMS = 4
const PLAYER = 8
# Collides with the player's body only: a stone's shell (entities/heavy/stone.gd), which the body
# stands on; items, hands and climbing probes do not see it.
const BODY_ONLY = 16
# Seen only by the hands' grab and touch queries: locks (entities/door/lock.gd), which the body and
# items pass through.
const HANDS_ONLY = 32
