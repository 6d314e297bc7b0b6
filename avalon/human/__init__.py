"""Human play: the desktop client (`avalon-play`), recordings, replay (`avalon-replay`) and human reference scores
(`avalon-human`). See docs/human_play.md."""
