"""Writing frames as a video: GIF with Pillow, or MP4 through ffmpeg (the system's, or the one the `video` extra's
imageio-ffmpeg package carries)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np


class VideoError(RuntimeError):
    """A video could not be written; the message says why and what to install."""


def ffmpeg_binary() -> str | None:
    """ffmpeg from PATH, else imageio-ffmpeg's bundled binary (`pip install 'avalon-bench[video]'`), else None."""
    found = shutil.which("ffmpeg")
    if found is not None:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def write_video(frames: list[np.ndarray], path: Path, fps: int = 10) -> Path:
    """`frames` (H x W x 3 uint8) as `path`: .gif with Pillow, .mp4 with ffmpeg."""
    path = Path(path)
    if not frames:
        raise VideoError(f"{path.name}: no frames to write")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".gif":
        from PIL import Image

        images = [Image.fromarray(frame) for frame in frames]
        images[0].save(path, save_all=True, append_images=images[1:], duration=1000 // fps, loop=0)
        return path
    if path.suffix.lower() == ".mp4":
        ffmpeg = ffmpeg_binary()
        if ffmpeg is None:
            raise VideoError(
                "writing MP4 needs ffmpeg: `pip install 'avalon-bench[video]'` or `apt-get install ffmpeg`; or ask for "
                "a .gif"
            )
        height, width = frames[0].shape[:2]
        command = [ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}"]
        command += ["-r", str(fps), "-i", "-", "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"]
        temporary = path.with_name(f".{path.name}.tmp.mp4")
        try:
            subprocess.run([*command, str(temporary)], input=np.stack(frames).tobytes(), check=True)
            temporary.replace(path)  # never a half-written video under the real name
        finally:
            temporary.unlink(missing_ok=True)
        return path
    raise VideoError(f"video must end in .gif or .mp4, got {path.name}")
