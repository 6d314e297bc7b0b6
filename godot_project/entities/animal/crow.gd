# The crow: its behaviour and look (the entity table's row; docs/animals.md).
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.12, 0.12, 0.14)
