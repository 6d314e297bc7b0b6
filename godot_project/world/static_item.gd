# A static item of the world (altar, fruit_tree, block): reports itself in observations like dynamic
# items do.
extends StaticBody

var item_id := 0
var kind_index := 0


func get_flags() -> int:
	return 0
