"""`python -m demo.meetings`."""

from demo.meetings import main

raise SystemExit(main())
