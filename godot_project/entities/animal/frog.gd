# The frog: its behaviour and look (the entity table's row; docs/animals.md).
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.3, 0.65, 0.2)
