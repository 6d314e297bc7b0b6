"""`python -m avalon.oracle`: see `avalon.oracle.main`."""

from avalon.oracle import main

raise SystemExit(main())
