"""`python -m services.meetings.demo`."""

from services.meetings.demo.command_line import main

raise SystemExit(main())
