# A large stick: a stick whose length is its row's (3.6 m); a large weapon.
extends "res://entities/tool/stick.gd"


func _length(_spec: Dictionary) -> float:
	return 2.0 * E.KINDS[kind]["physics"]["extents"][2]
