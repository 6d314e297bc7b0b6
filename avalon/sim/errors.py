"""Typed simulator errors. Every one that concerns a running Godot carries the tail of its log."""

from __future__ import annotations


class SimulatorError(RuntimeError):
    """Base class of everything that can go wrong talking to Godot."""

    def __init__(self, message: str, log_tail: str = "") -> None:
        self.log_tail = log_tail
        if log_tail:
            message = f"{message}\n--- last lines of the Godot log ---\n{log_tail}"
        super().__init__(message)


class GodotNotFoundError(SimulatorError):
    """No usable Godot binary."""


class GodotCrashedError(SimulatorError):
    """The Godot process exited or closed the connection unexpectedly."""


class GodotTimeoutError(SimulatorError):
    """Godot did not answer in time; the process has been killed."""


class GodotReportedError(SimulatorError):
    """Godot rejected a message (e.g. a world it could not build) and exited."""


class ProtocolError(SimulatorError):
    """The peer sent something that does not follow docs/protocol.md (also raised by the pure decoders)."""
