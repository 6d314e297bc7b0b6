# A cheap opaque sky: a low-poly inverted sphere around the camera (its child), coloured by a
# gradient in world space (so it stays level when the head rolls), drawn at the far plane so it is
# behind everything and reads as max depth.
extends Reference

const RADIUS = 100.0
const SHADER = """
shader_type spatial;
render_mode unshaded, cull_front, depth_draw_never, shadows_disabled;

const vec3 ZENITH = vec3(0.35, 0.55, 0.85);
const vec3 HORIZON = vec3(0.75, 0.85, 0.95);
const vec3 GROUND = vec3(0.45, 0.45, 0.42);

varying vec3 sky_color;

void vertex() {
	float up = normalize((WORLD_MATRIX * vec4(VERTEX, 0.0)).xyz).y;
	sky_color = up > 0.0 ? mix(HORIZON, ZENITH, up) : mix(HORIZON, GROUND, min(1.0, -4.0 * up));
	vec4 clip = PROJECTION_MATRIX * (MODELVIEW_MATRIX * vec4(VERTEX, 1.0));
	POSITION = vec4(clip.xy, clip.w * 0.999999, clip.w);
}

void fragment() {
	ALBEDO = sky_color;
}
"""


static func create() -> MeshInstance:
	var shader := Shader.new()
	shader.code = SHADER
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
