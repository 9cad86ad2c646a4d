"""`python -m services.credit.demo`."""

from services.credit.demo.command_line import main

raise SystemExit(main())
