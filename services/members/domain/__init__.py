"""The pure domain of members, one module per capability: `unit`, `person`,
`joint_meeting` (each with its commands, events, evolve and decide functions)."""
