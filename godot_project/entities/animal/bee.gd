# The bee: its behaviour and look (the entity table's row; docs/animals.md).
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.95, 0.8, 0.1)
