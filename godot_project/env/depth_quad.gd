# Writes depth into the alpha channel in the same pass as the colour (docs/protocol.md, "Depth
# encoding"): a quad in front of the camera (its child) covering the view, blended multiplicatively
# (RGB * 1, alpha * encoded depth) over a viewport whose opaque geometry wrote alpha 1.
extends Reference

const C = preload("res://generated/constants.gd")

const DISTANCE = 0.1
const SHADER = """
shader_type spatial;
render_mode unshaded, blend_mul, depth_test_disable, depth_draw_never, cull_disabled,
	shadows_disabled;

void fragment() {
	float depth = texture(DEPTH_TEXTURE, SCREEN_UV).r;
	vec4 view = INV_PROJECTION_MATRIX * vec4(vec3(SCREEN_UV, depth) * 2.0 - 1.0, 1.0);
	float z = -view.z / view.w;
	ALBEDO = vec3(1.0);
	ALPHA = sqrt(clamp(z / %.1f, 0.0, 1.0));
}
"""


static func create() -> MeshInstance:
	var shader := Shader.new()
	shader.code = SHADER % C.DEPTH_MAX_M
	var material := ShaderMaterial.new()
	material.shader = shader
	material.render_priority = 127
	var quad := QuadMesh.new()
	# Covers the view for any field of view up to ~160 degrees.
	quad.size = Vector2(DISTANCE, DISTANCE) * 12.0
	quad.material = material
	var instance := MeshInstance.new()
	instance.name = "DepthQuad"
	instance.mesh = quad
	instance.translation = Vector3(0.0, 0.0, -DISTANCE)
	instance.cast_shadow = GeometryInstance.SHADOW_CASTING_SETTING_OFF
	instance.extra_cull_margin = 16384.0
	return instance
