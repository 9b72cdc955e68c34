"""People-facing outputs built from the warehouse marts: the executive report and the Excel workbook."""
