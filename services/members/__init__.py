"""members: who belongs to the joint meeting, in what role, since when."""
