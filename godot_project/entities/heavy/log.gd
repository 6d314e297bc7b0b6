# A log: BRIDGE's bridge, a cylinder of the row's radius and `length` (the item spec) lying along
# its local x; carried (it follows the hand like any held item, not pushable) and laid across a
# chasm. Any contact with the player's body while it touches terrain turns it static, so a log laid
# from rim to rim stays put under the walking body; a grab makes it rigid again.
extends "res://entities/heavy/heavy_item.gd"

const COLOR = Color(0.5, 0.34, 0.2)
const Y_TO_X = Basis(Vector3.BACK, PI / 2.0)  # the cylinder's axis (y) to the log's (x)
const Z_TO_X = Basis(Vector3.UP, PI / 2.0)  # the stick mesh's axis (z) to the log's (x)
const LINEAR_DAMP_FACTOR = 1.0  # the reference's ground damping factors for the log
const ANGULAR_DAMP_FACTOR = 0.3


func build(spec: Dictionary, _context: Dictionary) -> String:
	var physics: Dictionary = E.KINDS[kind]["physics"]
	var radius: float = physics["extents"][1]
	var length: float = spec["length"]
	if length <= 0.0:
		return "%s %d needs a positive 'length'" % [kind, item_id]
	place(spec["position"], spec["yaw"])
	mass = physics["mass"]
	size = 2.0 * radius
	linear_damp_factor = LINEAR_DAMP_FACTOR
	angular_damp_factor = ANGULAR_DAMP_FACTOR
	bounding_radius = sqrt(length * length / 4.0 + radius * radius)
	rest_height = radius
	var shape := CylinderShape.new()
	shape.radius = radius
	shape.height = length
	var collision := add_shape(shape)
	collision.transform = Transform(Y_TO_X, Vector3.ZERO)
	var mesh := add_mesh(ItemMeshes.stick(radius, length, COLOR, MeshBuilder.material()))
	mesh.transform = Transform(Z_TO_X, Vector3.ZERO)
	return ""


func on_player_contact(_is_floor: bool) -> void:
	if touching_terrain:
		freeze()
