"""Data quality of the bronze tables: what each table must satisfy, checked with great-expectations.

`rules` states the rules as plain data, `suites` turns them into one expectation suite per table,
`frames` prepares the rows (with the columns cross-table rules need), `validation` runs the suites
and builds the Data Docs site, and `volume` flags days whose row count is out of line.
"""
