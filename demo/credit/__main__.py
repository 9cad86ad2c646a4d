"""`python -m demo.credit`."""

from demo.credit.command_line import main

raise SystemExit(main())
