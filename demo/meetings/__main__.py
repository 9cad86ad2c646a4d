"""`python -m demo.meetings`."""

from demo.meetings.command_line import main

raise SystemExit(main())
