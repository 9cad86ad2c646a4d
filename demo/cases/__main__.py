"""`python -m services.cases.demo`."""

from services.cases.demo.runner import main

raise SystemExit(main())
