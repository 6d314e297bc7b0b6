# A large rock: a rock whose edge is its row's (1 m); a large weapon.
extends "res://entities/tool/rock.gd"


func _edge(_spec: Dictionary) -> float:
	return 2.0 * E.KINDS[kind]["physics"]["extents"][0]
