# Layer-2 rule tests: game rules through scripted actions, headless.
#   LANG=en_US.UTF-8 godot3-server --path godot_project --audio-driver Dummy \
#     -s res://tests/run_rules.gd [--fixed-fps 10] [-- --only=NAME]
# `--fixed-fps 10` runs faster than real time; `--only=NAME` runs the scenarios whose name contains
# NAME. Prints one PASS/FAIL line per check; exits 0 when all pass. The driver is loaded at run
# time, so a script that fails to parse makes this exit non-zero instead of 0.
extends SceneTree

const DRIVER_PATH = "res://tests/rules/rule_driver.gd"
const EXIT_LOAD_FAILED = 101


func _initialize() -> void:
	var driver_script = load(DRIVER_PATH)
	if driver_script == null or not driver_script.can_instance():
		push_error("rules: cannot load %s (see the parse errors above)" % DRIVER_PATH)
		quit(EXIT_LOAD_FAILED)
		return
	var driver: Node = driver_script.new()
	driver.name = "RuleDriver"
	root.add_child(driver)
