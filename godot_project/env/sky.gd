# A cheap opaque sky: a low-poly inverted sphere around the camera (its child), drawn at the far
# plane so it is behind everything and reads as max depth. Its colour is a gradient of the view
# direction in world space (so it stays level when the head rolls), worked out per pixel: the
# world's fog (MeshBuilder.material) fades far geometry into the same colour, so it meets the sky
# without an edge.
extends Reference

const RADIUS = 100.0
# GLSL shared with the world's material: the sky's colour for a direction whose normalised world y
# is `up` (1 straight up, 0 level, -1 straight down).
const GRADIENT = """
const vec3 ZENITH = vec3(0.35, 0.55, 0.85);
const vec3 HORIZON = vec3(0.75, 0.85, 0.95);
const vec3 GROUND = vec3(0.45, 0.45, 0.42);

vec3 sky_colour(float up) {
	return up > 0.0 ? mix(HORIZON, ZENITH, up) : mix(HORIZON, GROUND, min(1.0, -4.0 * up));
}
"""
const SHADER = """
shader_type spatial;
render_mode unshaded, cull_front, depth_draw_never, shadows_disabled;
%s
void vertex() {
	vec4 clip = PROJECTION_MATRIX * (MODELVIEW_MATRIX * vec4(VERTEX, 1.0));
	POSITION = vec4(clip.xy, clip.w * 0.999999, clip.w);
}

void fragment() {
	// VERTEX: the point on the sphere in view space, so along this pixel's view ray.
	ALBEDO = sky_colour((CAMERA_MATRIX * vec4(VERTEX, 0.0)).y / length(VERTEX));
}
"""


static func create() -> MeshInstance:
	var shader := Shader.new()
	shader.code = SHADER % GRADIENT
	var material := ShaderMaterial.new()
	material.shader = shader
	# Drawn after the other opaque geometry, so the depth test skips the hidden sky pixels.
	material.render_priority = 127
	var sphere := SphereMesh.new()
	sphere.radius = RADIUS
	sphere.height = RADIUS * 2.0
	sphere.radial_segments = 10
	sphere.rings = 5
	sphere.material = material
	var instance := MeshInstance.new()
	instance.name = "Sky"
	instance.mesh = sphere
	instance.cast_shadow = GeometryInstance.SHADOW_CASTING_SETTING_OFF
	instance.extra_cull_margin = 16384.0
	return instance
