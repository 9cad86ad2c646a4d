"""`python -m demo.credit`."""

from demo.credit import main

raise SystemExit(main())
