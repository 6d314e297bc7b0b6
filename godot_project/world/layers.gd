# Physics layer bits, named the same in project.godot ([layer_names]).
# TODO(lead): move into avalon/constants.py -> generated/constants.gd.
extends Reference

const TERRAIN = 1
const STATIC = 2
const ITEMS = 4
const PLAYER = 8
