# Builds flat-shaded, vertex-coloured triangle meshes with lighting baked in from a fixed sun, drawn
# with one shared unshaded material: the cheapest look on llvmpipe. Winding is fixed up per triangle
# from an outward hint, so callers never think about Godot's clockwise front faces.
extends Reference

const C = preload("res://generated/constants.gd")
const Sky = preload("res://env/sky.gd")

const SUN = Vector3(0.35, 0.85, 0.4)
const AMBIENT = 0.55
const DIFFUSE = 0.45
# The material of everything in the world: the vertex colour, faded by distance fog into the sky's
# colour in the pixel's direction (env/sky.gd) from C.FOG_BEGIN m of the eye to C.CAMERA_FAR, so
# far land meets the sky without an edge (docs/protocol.md "Far rendering"). Per pixel: a big
# triangle (the water plane) spans all distances. Colour only: it writes no ALPHA, and the depth
# buffer, which depth_quad.gd turns into the observation's alpha, is untouched. Godot's
# Environment fog does nothing here: GLES2 skips it for unshaded materials.
const SHADER = """
shader_type spatial;
render_mode unshaded, shadows_disabled;
%s
varying float eye_y;

void vertex() {
	// How far the vertex is above the eye: linear, so exact wherever it is interpolated.
	eye_y = (WORLD_MATRIX * vec4(VERTEX, 1.0)).y - CAMERA_MATRIX[3].y;
}

void fragment() {
	float eye_distance = length(VERTEX);
	float fog = smoothstep(%.3f, %.3f, eye_distance);
	ALBEDO = mix(COLOR.rgb, sky_colour(eye_y / eye_distance), fog);
}
"""
# With AVALON_NO_FOG set in Godot's environment the material draws the vertex colour alone (the
# tests' and measurements' reference frames).
const SHADER_NO_FOG = """
shader_type spatial;
render_mode unshaded, shadows_disabled;

void fragment() {
	ALBEDO = COLOR.rgb;
}
"""
# The one material, made on first use and shared by every mesh of every world: one shader to
# compile; also the meshes other scripts share across worlds (`share`). (A const Dictionary is the
# cache: Godot 3 scripts have no static variables.)
const SHARED = {}

var vertices := PoolVector3Array()
var colors := PoolColorArray()


static func shade(color: Color, normal: Vector3) -> Color:
	var light := AMBIENT + DIFFUSE * max(0.0, normal.dot(SUN.normalized()))
	return Color(color.r * light, color.g * light, color.b * light, 1.0)


static func material() -> Material:
	if not SHARED.has("material"):
		var shader := Shader.new()
		if OS.get_environment("AVALON_NO_FOG") != "":
			shader.code = SHADER_NO_FOG
		else:
			shader.code = SHADER % [Sky.GRADIENT, C.FOG_BEGIN, C.CAMERA_FAR]
		var mat := ShaderMaterial.new()
		mat.shader = shader
		SHARED["material"] = mat
	return SHARED["material"]


# Stores `value` under `key` in SHARED and returns it. Other scripts must store through this, not
# with `MeshBuilder.SHARED[key] = value`: GDScript 3 writes an indexed member of another script's
# constant back to the constant, which fails ("Invalid set index 'SHARED' (on base: 'GDScript')")
# after the store, aborting the caller (its function returns null).
static func share(key: String, value):
	SHARED[key] = value
	return value


# One triangle; `outward` says which side is the front (the triangle is flipped if needed).
func triangle(a: Vector3, b: Vector3, c: Vector3, color: Color, outward: Vector3) -> void:
	var normal := (c - a).cross(b - a)
	if normal.dot(outward) < 0.0:
		var swap := b
		b = c
		c = swap
		normal = -normal
	var lit := shade(color, normal.normalized())
	vertices.append(a)
	vertices.append(b)
	vertices.append(c)
	for _i in range(3):
		colors.append(lit)


func quad(a: Vector3, b: Vector3, c: Vector3, d: Vector3, color: Color, outward: Vector3) -> void:
	triangle(a, b, c, color, outward)
	triangle(a, c, d, color, outward)


# A box (12 triangles) of `size` centred at `center`, rotated by `basis`.
func box(center: Vector3, size: Vector3, color: Color, basis := Basis()) -> void:
	var h := size / 2.0
	for axis in range(3):
		for direction in [-1.0, 1.0]:
			var n := Vector3.ZERO
			n[axis] = direction
			var u := Vector3.ZERO
			u[(axis + 1) % 3] = h[(axis + 1) % 3]
			var v := Vector3.ZERO
			v[(axis + 2) % 3] = h[(axis + 2) % 3]
			var c := n * h[axis]
			quad(
				center + basis.xform(c - u - v),
				center + basis.xform(c + u - v),
				center + basis.xform(c + u + v),
				center + basis.xform(c - u + v),
				color,
				basis.xform(n)
			)


# A vertical prism or cone (top_radius 0) with `sides` faces around the +Y axis, no caps unless
# asked.
func frustum(
	base: Vector3,
	height: float,
	bottom_radius: float,
	top_radius: float,
	sides: int,
	color: Color,
	bottom_cap := false
) -> void:
	for s in range(sides):
		var a0 := TAU * s / sides
		var a1 := TAU * (s + 1) / sides
		var d0 := Vector3(cos(a0), 0.0, sin(a0))
		var d1 := Vector3(cos(a1), 0.0, sin(a1))
		var out := (d0 + d1).normalized()
		var top := base + Vector3(0.0, height, 0.0)
		if top_radius > 0.0:
			quad(
				base + d0 * bottom_radius,
				base + d1 * bottom_radius,
				top + d1 * top_radius,
				top + d0 * top_radius,
				color,
				out
			)
		else:
			triangle(base + d0 * bottom_radius, base + d1 * bottom_radius, top, color, out)
		if bottom_cap:
			triangle(
				base, base + d0 * bottom_radius, base + d1 * bottom_radius, color, Vector3.DOWN
			)


# Appends already shaded triangles (three vertices and three colours each).
func add_arrays(more_vertices: PoolVector3Array, more_colors: PoolColorArray) -> void:
	vertices.append_array(more_vertices)
	colors.append_array(more_colors)


func is_empty() -> bool:
	return vertices.size() == 0


func commit(mat: Material) -> ArrayMesh:
	var arrays := []
	arrays.resize(Mesh.ARRAY_MAX)
	arrays[Mesh.ARRAY_VERTEX] = vertices
	arrays[Mesh.ARRAY_COLOR] = colors
	var mesh := ArrayMesh.new()
	mesh.add_surface_from_arrays(Mesh.PRIMITIVE_TRIANGLES, arrays)
	mesh.surface_set_material(0, mat)
	return mesh
