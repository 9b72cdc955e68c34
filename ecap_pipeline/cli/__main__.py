"""`python -m ecap_pipeline.cli`, the same as `ecap`."""

from ecap_pipeline.cli.app import main

raise SystemExit(main())
