# Low-poly, flat-shaded, vertex-coloured meshes for the items (built with the world's MeshBuilder,
# so items share the world's unshaded look and its baked sun). Every mesh is well under 100
# triangles.
extends Reference

const MeshBuilder = preload("res://world/mesh_builder.gd")

const SPHERE_SIDES = 6
const SPHERE_RINGS = 4
const PRISM_SIDES = 6
const STICK_SIDES = 5
const LEAF_COLOR = Color(0.2, 0.55, 0.15)


# A UV sphere (6 x 4: 36 triangles) scaled per axis by `scale`.
static func sphere(radius: float, color: Color, mat: Material, scale := Vector3.ONE) -> ArrayMesh:
	var builder := MeshBuilder.new()
	for ring in range(SPHERE_RINGS):
		var t0 := PI * ring / SPHERE_RINGS
		var t1 := PI * (ring + 1) / SPHERE_RINGS
		for side in range(SPHERE_SIDES):
			var p0 := TAU * side / SPHERE_SIDES
			var p1 := TAU * (side + 1) / SPHERE_SIDES
			var a := _on_sphere(t0, p0) * radius * scale
			var b := _on_sphere(t0, p1) * radius * scale
			var c := _on_sphere(t1, p1) * radius * scale
			var d := _on_sphere(t1, p0) * radius * scale
			var outward := (a + b + c + d).normalized()
			if ring == 0:
				builder.triangle(a, c, d, color, outward)
			elif ring == SPHERE_RINGS - 1:
				builder.triangle(a, b, c, color, outward)
			else:
				builder.quad(a, b, c, d, color, outward)
	return builder.commit(mat)


# A hexagonal prism (honeycomb) inside a sphere of `radius`.
static func prism(radius: float, color: Color, material: Material) -> ArrayMesh:
	var builder := MeshBuilder.new()
	var half := radius * 0.6
	var ring := radius * 0.8
	builder.frustum(Vector3(0.0, -half, 0.0), 2.0 * half, ring, ring, PRISM_SIDES, color, true)
	_top_cap(builder, Vector3(0.0, half, 0.0), ring, PRISM_SIDES, color)
	return builder.commit(material)


# A carrot: an orange cone pointing down with a green tuft, inside the box of half sizes `extents`
# (upright along y).
static func carrot(extents: Vector3, color: Color, material: Material) -> ArrayMesh:
	var builder := MeshBuilder.new()
	var top := Vector3(0.0, extents.y * 0.6, 0.0)
	var width := extents.x
	builder.frustum(top, -extents.y * 1.6, width, 0.0, PRISM_SIDES, color)
	_top_cap(builder, top, width, PRISM_SIDES, color)
	builder.frustum(top, extents.y * 0.4, extents.x * 0.6, 0.0, 3, LEAF_COLOR)
	return builder.commit(material)


static func box(size: Vector3, color: Color, material: Material) -> ArrayMesh:
	var builder := MeshBuilder.new()
	builder.box(Vector3.ZERO, size, color)
	return builder.commit(material)


# A stick along local Z (the axis of Godot 3's CapsuleShape): a thin 5-sided prism with end caps.
static func stick(radius: float, length: float, color: Color, material: Material) -> ArrayMesh:
	var builder := MeshBuilder.new()
	var to_z := Basis(Vector3.RIGHT, PI / 2.0)
	var base := Vector3(0.0, -length / 2.0, 0.0)
	for side in range(STICK_SIDES):
		var a0 := TAU * side / STICK_SIDES
		var a1 := TAU * (side + 1) / STICK_SIDES
		var d0 := Vector3(cos(a0), 0.0, sin(a0)) * radius
		var d1 := Vector3(cos(a1), 0.0, sin(a1)) * radius
		var up := Vector3(0.0, length, 0.0)
		builder.quad(
			to_z.xform(base + d0),
			to_z.xform(base + d1),
			to_z.xform(base + d1 + up),
			to_z.xform(base + d0 + up),
			color,
			to_z.xform(d0 + d1)
		)
		builder.triangle(
			to_z.xform(base),
			to_z.xform(base + d0),
			to_z.xform(base + d1),
			color,
			to_z.xform(Vector3.DOWN)
		)
		builder.triangle(
			to_z.xform(base + up),
			to_z.xform(base + d0 + up),
			to_z.xform(base + d1 + up),
			color,
			to_z.xform(Vector3.UP)
		)
	return builder.commit(material)


# A flat polygon facing up, centred at `center`.
static func _top_cap(
	builder: MeshBuilder, center: Vector3, radius: float, sides: int, color: Color
) -> void:
	for side in range(sides):
		var a0 := TAU * side / sides
		var a1 := TAU * (side + 1) / sides
		var d0 := Vector3(cos(a0), 0.0, sin(a0)) * radius
		var d1 := Vector3(cos(a1), 0.0, sin(a1)) * radius
		builder.triangle(center, center + d0, center + d1, color, Vector3.UP)


static func _on_sphere(theta: float, phi: float) -> Vector3:
	return Vector3(sin(theta) * cos(phi), cos(theta), sin(theta) * sin(phi))
