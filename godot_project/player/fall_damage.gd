# Fall damage (as the original computes it): keep |v_y| of the body over the last WINDOW ticks;
# when the spread (max - min) exceeds TRIGGER_FRACTION * MIN_FALL_SPEED, wait WAIT_TICKS ticks
# (keeping the largest spread seen), then deal FALL_DAMAGE_COEFFICIENT * BODY_MASS * max(0, spread^2
# - MIN_FALL_SPEED^2) once, and ignore further triggers for DEBOUNCE_TICKS ticks. Free fall changes
# |v_y| by only g * dt = 1 m/s per tick, so only a sudden stop (landing) or a sudden start triggers
# it.
extends Reference

const C = preload("res://generated/constants.gd")

const WINDOW = 4
const WAIT_TICKS = 2
const DEBOUNCE_TICKS = 4
const TRIGGER_FRACTION = 0.75

var _speeds := []
var _wait := -1  # ticks left before the pending damage is dealt; -1 = nothing pending
var _spread := 0.0
var _debounce := 0


# Records this tick's vertical speed (m/s) and returns the damage dealt this tick (hit points, >=
# 0).
func update(vertical_speed: float) -> float:
	_speeds.append(abs(vertical_speed))
	if _speeds.size() > WINDOW:
		_speeds.pop_front()
	var spread: float = _speeds.max() - _speeds.min()
	if _debounce > 0:
		_debounce -= 1
		return 0.0
	if _wait < 0:
		if spread > TRIGGER_FRACTION * C.MIN_FALL_SPEED:
			_wait = WAIT_TICKS
			_spread = spread
		return 0.0
	_spread = max(_spread, spread)
	_wait -= 1
	if _wait > 0:
		return 0.0
	_wait = -1
	_debounce = DEBOUNCE_TICKS
	return damage_for_speed_change(_spread)


static func damage_for_speed_change(spread: float) -> float:
	var excess := spread * spread - C.MIN_FALL_SPEED * C.MIN_FALL_SPEED
	return C.FALL_DAMAGE_COEFFICIENT * C.BODY_MASS * max(0.0, excess)
