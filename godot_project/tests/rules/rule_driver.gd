# Runs every scenario of the SCENARIO_SCRIPTS (body, item, entity, climb, terrain, heavy, animal
# behaviour, animals in the world, combat, doors, locks) at once, each in its own rule_world.gd
# (own physics space). A scenario is a coroutine: it sets its world's action and `yield()`s; the
# driver resumes it once per physics tick, after the previous tick's physics step, then applies the
# action to the player before the next step. Quits with the number of failed checks (capped) as
# the exit code.
# `-- --only=NAME` (after Godot's own arguments) runs only the scenarios whose name contains NAME.
extends Node

const RuleWorld = preload("res://tests/rules/rule_world.gd")
const SCENARIO_SCRIPTS = [
	preload("res://tests/rules/body_scenarios.gd"),
	preload("res://tests/rules/item_scenarios.gd"),
	preload("res://tests/rules/entity_scenarios.gd"),
	preload("res://tests/rules/climb_scenarios.gd"),
	preload("res://tests/rules/terrain_scenarios.gd"),
	preload("res://tests/rules/heavy_scenarios.gd"),
	preload("res://tests/rules/animal_behavior_scenarios.gd"),
	preload("res://tests/rules/animal_world_scenarios.gd"),
	preload("res://tests/rules/combat_scenarios.gd"),
	preload("res://tests/rules/door_scenarios.gd"),
	preload("res://tests/rules/lock_scenarios.gd"),
	preload("res://tests/rules/building_scenarios.gd"),
]

const MAX_TICKS = 400  # the longest scenario holds a stack for 30 s
const MAX_EXIT_CODE = 100

var _runs := []  # [world, function state, the scenarios object the state belongs to]
var _tick := 0


func _ready() -> void:
	var only := ""
	for argument in OS.get_cmdline_args():
		if argument.begins_with("--only="):
			only = argument.trim_prefix("--only=")
	for script in SCENARIO_SCRIPTS:
		var scenarios: Reference = script.new()
		for method in scenarios.get_method_list():
			var method_name: String = method["name"]
			if (
				not method_name.begins_with("scenario_")
				or (only != "" and not (only in method_name))
			):
				continue
			var world := RuleWorld.new(method_name.trim_prefix("scenario_"))
			add_child(world)
			var state = scenarios.call(method_name, world)
			_runs.append([world, state, scenarios])  # the scenarios object lives as long as its runs
	print("rules: %d scenarios" % _runs.size())
	if _runs.empty():
		push_error("rules: no scenario matches '%s'" % only)
		set_physics_process(false)
		get_tree().quit(1)


func _physics_process(_delta: float) -> void:
	_tick += 1
	var running := 0
	for run in _runs:
		var world = run[0]
		var state = run[1]
		if not (state is GDScriptFunctionState and state.is_valid()):
			continue
		if _tick > 1:
			world.ticks += 1
			state = state.resume()
			run[1] = state
		if state is GDScriptFunctionState and state.is_valid():
			running += 1
			if world.player != null:
				world.player.apply_action(world.action)
				world.tick_animals()
	if running == 0 or _tick > MAX_TICKS:
		_finish()


func _finish() -> void:
	var failures := 0
	for run in _runs:
		var world = run[0]
		var state = run[1]
		if state is GDScriptFunctionState and state.is_valid():
			world.check("finished within %d ticks" % MAX_TICKS, false)
		elif not world.finished:
			world.check("ran to its end", false, "stopped early: script error above?")
		failures += world.failures
	print("rules: %d failed check(s)" % failures)
	set_physics_process(false)
	get_tree().quit(int(min(failures, MAX_EXIT_CODE)))
