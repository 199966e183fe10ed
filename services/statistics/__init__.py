"""Statistics (统计): figures for the dashboard and the periodic reports, as of a cut-off."""
