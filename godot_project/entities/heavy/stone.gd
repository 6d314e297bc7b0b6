# A stone: STACK's building block, a cube of edge `size` (the item spec) with the row's mass;
# carried and stacked. A shell SHELL_SCALE times its size on the BODY_ONLY layer (only the player's
# body collides with it; off while held) is what the body stands and steps on, as in the reference
# (+0.15 m per 1 m stone). Static once at rest (heavy_item.gd), so stacks stay stacked.
extends "res://entities/heavy/heavy_item.gd"

const COLOR = Color(0.62, 0.6, 0.55)
const SHELL_SCALE = 1.3
const LINEAR_DAMP_FACTOR = 0.5  # the reference's ground damping factors for the stone
const ANGULAR_DAMP_FACTOR = 0.5

var shell: StaticBody = null  # made by build()


func build(spec: Dictionary, _context: Dictionary) -> String:
	size = spec["size"]
	if size <= 0.0:
		return "%s %d needs a positive 'size'" % [kind, item_id]
	place(spec["position"], spec["yaw"])
	mass = E.KINDS[kind]["physics"]["mass"]
	freezes_at_rest = true
	linear_damp_factor = LINEAR_DAMP_FACTOR
	angular_damp_factor = ANGULAR_DAMP_FACTOR
	add_cube(size, COLOR)
	# The shell counts too: the body is clear of a released stone once clear of its shell.
	bounding_radius *= SHELL_SCALE
	shell = StaticBody.new()
	shell.name = "Shell"
	shell.collision_layer = Layers.BODY_ONLY
	shell.collision_mask = 0
	var shell_shape := BoxShape.new()
	shell_shape.extents = Vector3.ONE * SHELL_SCALE * size / 2.0
	var collision := CollisionShape.new()
	collision.shape = shell_shape
	shell.add_child(collision)
	add_child(shell)
	return ""


func grab() -> void:
	.grab()
	if shell != null:
		shell.collision_layer = 0


func release(velocity: Vector3) -> void:
	.release(velocity)
	if shell != null:
		shell.collision_layer = Layers.BODY_ONLY


func player_colliders() -> Array:
	return [self, shell] if shell != null else [self]
