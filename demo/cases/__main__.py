"""`python -m demo.cases`."""

from demo.cases.runner import main

raise SystemExit(main())
