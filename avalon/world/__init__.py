"""World specification: dataclasses (`spec`), wire format (`codec`), checks (`validate`), terrain building
(`terrain`), hand-built test worlds (`builders`) and a top-down picture (`topdown`)."""
