"""`ecap`: build the whole pipeline headless, open it in the Dagster UI, run dbt, ingest a file, time-travel.

One module per command family; each registers its subcommands on the shared parser. Dagster and
dbt are imported only by the commands that run them, so `ecap --help` and bad arguments answer at once.
"""

from ecap_pipeline.cli.app import main

__all__ = ["main"]
