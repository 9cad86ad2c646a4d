"""`python -m demo.cases`."""

from demo.cases import main

raise SystemExit(main())
